import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { spawnCli, waitForOutput } from '../helpers/cli.js';
import {
  type GatewayHarness,
  startGatewayHarness,
  type TokenUser,
} from '../helpers/gateway-harness.js';
import { pendingPushes } from '../helpers/pushes.js';

describe('tokenward gateway auth: a login from the terminal', () => {
  let g: GatewayHarness;
  let alice: TokenUser;

  before(async () => {
    g = await startGatewayHarness('sqlite');
    alice = await g.tokenUser('alice');
  });
  after(async () => {
    await g?.close();
  });

  const login = () => {
    const child = spawnCli(
      ['gateway', 'auth', 'alice', '--db', g.databaseUrl],
      { TOKENWARD_MASTER_KEY: Buffer.alloc(32, 9).toString('base64') },
      'pipe',
    );
    const out: string[] = [];
    const err: string[] = [];
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk.toString()));
    return {
      child,
      finished: once(child, 'exit').then(([code]) => ({
        code: code as number,
        out: out.join(''),
        err: err.join(''),
      })),
    };
  };

  it('asks for the password, then the code, and grants access', async () => {
    const { child, finished } = login();
    child.stdin?.write(`${alice.password}\n`);
    await waitForOutput(child, /Code \(empty for push\): /, 20_000, 'stderr');
    child.stdin?.end(`${await alice.code()}\n`);
    const result = await finished;
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /Enter token code or no code to send a notification/);
    assert.match(result.out, /Access granted: alice$/m);
    assert.ok(!result.err.includes(alice.password), 'the password is not echoed');
  });

  it('sends a push on an empty code and waits for the phone', async () => {
    const { child, finished } = login();
    child.stdin?.write(`${alice.password}\n`);
    await waitForOutput(child, /Code \(empty for push\): /, 20_000, 'stderr');
    child.stdin?.end('\n');
    const [push] = await pendingPushes(alice.phone);
    assert.equal(push.context.user_agent, 'tokenward gateway auth');
    await alice.phone.answerPush(push.pushId, 'approve');
    const result = await finished;
    assert.equal(result.code, 0, result.err);
    assert.match(result.out, /Push sent to the mobile token/);
  });

  it('denies a wrong password with exit code 1', async () => {
    const { child, finished } = login();
    child.stdin?.end('wrong\n');
    const result = await finished;
    assert.equal(result.code, 1);
    assert.match(result.err, /Access denied: Authentication failed\.$/m);
    await g.gateway.unlockUser('alice');
  });
});
