import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { assertRejectsCode } from '../helpers/assert-code.js';
import { runCli } from '../helpers/cli.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

// Threat (to availability, by an admin's click): "Resend" on a token already active on a phone
// re-issued it, silently cutting off the phone that works.
describe('resending the activation of an active token', () => {
  const f = gatewayWithAlice('sqlite');
  const context = { frontEnd: 'http', sourceIp: '203.0.113.1' } as const;
  const logsIn = async () => {
    f.g.clock.advance(60_000);
    f.alice.phoneClock.advance(60_000);
    const challenge = await f.g.challenge(f.alice, context);
    return (await f.g.auth.answerCode(challenge.sessionId, await f.alice.code())).result;
  };

  it('is refused with TW_TOKEN_ACTIVE, and the phone keeps working', async () => {
    await assertRejectsCode(f.g.gateway.resendActivation(f.alice.serial), 'TW_TOKEN_ACTIVE');
    await assertRejectsCode(f.g.gateway.provisionToken(f.alice.serial), 'TW_TOKEN_ACTIVE');
    assert.equal((await f.g.store.fortitokens.find(f.alice.serial))?.state, 'provisioned');
    assert.equal(await logsIn(), 'accept');
  });

  it('is refused by the CLI, and reprovision asks for --yes', async () => {
    const cli = (...args: string[]) =>
      runCli(['gateway', 'token', ...args, f.alice.serial, '--db', f.g.databaseUrl]);
    const previous = process.env.TOKENWARD_MASTER_KEY;
    process.env.TOKENWARD_MASTER_KEY = Buffer.alloc(32, 9).toString('base64');
    try {
      const resent = await cli('resend');
      assert.equal(resent.code, 1);
      assert.match(resent.err, /TW_TOKEN_ACTIVE/);
      const unconfirmed = await cli('reprovision');
      assert.equal(unconfirmed.code, 1);
      assert.match(unconfirmed.err, /TW_CONFIRMATION_REQUIRED/);
    } finally {
      if (previous === undefined) delete process.env.TOKENWARD_MASTER_KEY;
      else process.env.TOKENWARD_MASTER_KEY = previous;
    }
    assert.equal(await logsIn(), 'accept');
  });

  it('reprovisions only when asked to, and audits it', async () => {
    const sent = f.g.smtp.received.length;
    await f.g.gateway.reprovisionToken(f.alice.serial);
    assert.equal((await f.g.store.fortitokens.find(f.alice.serial))?.state, 'provisioning');
    assert.equal(f.g.smtp.received.length, sent + 1, 'a new activation went out');
    const actions = (await f.g.store.auditLog.list({ limit: 2 })).map((entry) => entry.action);
    assert.deepEqual(actions, ['token.deliver', 'token.reprovision']);
  });
});
