import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../helpers/cli.js';

describe('tokenward demo', () => {
  it('tells the story step by step and exits 0 when every step behaved as shown', async () => {
    const { code, out, err } = await runCli(['demo']);
    assert.equal(code, 0, err);
    const steps = out.match(/^\d+\. .+$/gm) ?? [];
    assert.equal(steps.length, 9, out);
    assert.match(
      out,
      /Phone B tries the same code and is told why it is refused\n {3}phone B: Activation Code is invalid: this token was already activated on another device/,
    );
    assert.match(out, /set reg-id "[0-9a-f]{64}"\n +set os-ver "\S+_CLI"/);
    assert.match(out, /the same code again: Access-Reject: Please wait \d+ seconds to login again/);
    assert.match(out, /phone A's code: Access-Reject.*\n {3}phone C's code: Access-Accept/);
    assert.match(out, /Every step behaved as shown\.$/);
  });
});
