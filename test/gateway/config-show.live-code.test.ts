import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatConfig } from '../../src/protocol/fortios/config-document.js';
import { gatewayWithAlice } from '../helpers/gateway-harness.js';

// Threat: a live activation code printed in clear by `config show` (pasted into tickets and
// backups): whoever reads it activates the token on their own phone.
describe('config show and live activation codes', () => {
  const f = gatewayWithAlice('sqlite');

  it('shows a live code as ENC; only an audited --reveal-code prints it', async () => {
    const { serial, code } = await f.g.mailedUser('bob');
    const shown = formatConfig(await f.g.gateway.configSections());
    assert.ok(!shown.includes(code), 'the live code is not in config show');
    assert.match(shown, new RegExp(`edit "${serial}"[\\s\\S]*?set activation-code ENC \\S+`));

    assert.equal(await f.g.gateway.revealActivationCode(serial, 'cli:test'), code);
    const [entry] = await f.g.store.auditLog.list({ limit: 1 });
    assert.deepEqual(
      [entry?.action, entry?.actor, entry?.subject],
      ['token.reveal-code', 'cli:test', serial],
    );
  });
});
