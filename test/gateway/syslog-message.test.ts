import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { octetCounted, syslogMessage } from '../../src/gateway/syslog/syslog-message.js';

const login = {
  kind: 'login' as const,
  entry: {
    id: '001796000000000-00000000000000000001-abcdef01',
    at: Date.UTC(2026, 11, 2, 15, 0, 0, 123),
    username: 'eve"]\\ wins',
    sourceIp: '203.0.113.9',
    frontEnd: 'radius' as const,
    client: 'vpn|1=2',
    method: 'fortitoken',
    result: 'reject' as const,
    reason: 'otp-mismatch,locked-out',
    latencyMs: 12,
    node: 'FGT60F0000000001',
  },
};
const options = { facility: 23, hostname: 'FGT60F0000000001', procId: '42', version: '0.1.0' };

describe('syslog messages (RFC 5424, CEF, JSON)', () => {
  it('writes the RFC 5424 header: PRI from facility and severity, time in UTC, host, app, msgid', () => {
    const message = syslogMessage(login, { ...options, format: 'default' });
    // local7 (23) * 8 + notice (5) for a refusal.
    assert.match(
      message,
      /^<189>1 2026-12-02T15:00:00\.123Z FGT60F0000000001 tokenward 42 login \[login@32473 /,
    );
  });

  it('escapes ", \\ and ] in structured data (RFC 5424 section 6.3.3)', () => {
    const message = syslogMessage(login, { ...options, format: 'default' });
    assert.ok(message.includes('user="eve\\"\\]\\\\ wins"'), message);
  });

  it('escapes | in CEF header fields and = and \\ in its extension values', () => {
    const message = syslogMessage(login, { ...options, format: 'cef' });
    assert.match(
      message,
      / - CEF:0\|Tokenward\|Tokenward\|0\.1\.0\|login-reject\|Login reject\|5\|/,
    );
    assert.ok(message.includes('cs2=vpn|1\\=2'), message);
    assert.ok(message.includes('suser=eve"]\\\\ wins'), message);
  });

  it('carries the event as JSON', () => {
    const message = syslogMessage(login, { ...options, format: 'json' });
    const body = JSON.parse(message.slice(message.indexOf(' - ') + 3)) as Record<string, unknown>;
    assert.equal(body.user, login.entry.username);
    assert.equal(body.reason, 'otp-mismatch,locked-out');
  });

  it('counts octets, not characters, in a stream frame (RFC 6587 section 3.4.1)', () => {
    assert.equal(octetCounted('<14>1 - - - - - é').toString(), '18 <14>1 - - - - - é');
  });
});
