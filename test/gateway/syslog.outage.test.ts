import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startSyslogLoop } from '../../src/gateway/syslog/syslog-loop.js';
import { createLogger } from '../../src/log/create-logger.js';
import {
  GATEWAY_SERIAL,
  type GatewayHarness,
  startGatewayHarness,
} from '../helpers/gateway-harness.js';
import { type Rsyslog, rsyslogComponent, startRsyslog } from '../helpers/rsyslog.js';

// Threat: a syslog server that is away (restarted, unreachable) loses the audit trail, or makes
// logins wait. Events must all arrive, once each, in order, and no login may wait for them.
const PASSWORD = 'battery-staple-9';
const ID = {
  udp: /^<\d+>1 \S+ \S+ tokenward \S+ login - (\{.*\})$/,
  tcp: /^<\d+>1 \S+ \S+ tokenward \S+ login \[login@32473 id="([^"]+)"/,
  tls: /^<\d+>1 \S+ \S+ tokenward \S+ login - CEF:0\|Tokenward\|Tokenward\|[^|]+\|login-\w+\|.*externalId=(\S+)/,
};

/** The login event ids an input received, in order (UDP's from the JSON body). */
async function loginIds(rsyslog: Rsyslog, input: keyof typeof ID): Promise<string[]> {
  return (await rsyslog.received(input)).flatMap((line) => {
    const match = ID[input].exec(line)?.[1];
    if (match === undefined) return [];
    return [input === 'udp' ? String((JSON.parse(match) as { id: string }).id) : match];
  });
}

describe('syslog: every login and admin change, to UDP, TCP and TLS servers', {
  skip: rsyslogComponent.skip,
}, () => {
  let dir: string;
  let rsyslog: Rsyslog;
  let g: GatewayHarness;
  let loop: ReturnType<typeof startSyslogLoop>;
  const ownIds = async (since: string) =>
    (await g.store.authLog.after(GATEWAY_SERIAL, since, 100_000)).map((entry) => entry.id);
  const waitFor = async (what: string, done: () => Promise<boolean>) => {
    const deadline = Date.now() + 60_000;
    while (!(await done())) {
      assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tokenward-syslog-'));
    rsyslog = await startRsyslog(dir);
    g = await startGatewayHarness('sqlite');
    await g.gateway.addUser({ name: 'carol', password: PASSWORD, twoFactor: 'disable' });
    const ca = new X509Certificate(rsyslog.certificates.ca).raw.toString('base64');
    await g.gateway.importConfig(
      [
        'config log syslogd setting',
        '    set status enable',
        '    set server "127.0.0.1"',
        `    set port ${rsyslog.ports.udp}`,
        '    set mode udp',
        '    set format json',
        'end',
        'config log syslogd2 setting',
        '    set status enable',
        '    set server "127.0.0.1"',
        `    set port ${rsyslog.ports.tcp}`,
        '    set mode reliable',
        'end',
        'config log syslogd3 setting',
        '    set status enable',
        '    set server "127.0.0.1"',
        `    set port ${rsyslog.ports.tls}`,
        '    set mode reliable',
        '    set enc-algorithm high',
        '    set format cef',
        `    set ca-cert "${ca}"`,
        'end',
        '',
      ].join('\n'),
    );
    loop = startSyslogLoop({ forwarder: g.syslog, log: createLogger({ level: 'silent' }) });
    // Each server starts from what is logged once the forwarder has seen it.
    await waitFor('the cursors', async () => {
      const keys = [...(await g.store.settings.all()).keys()];
      return ['syslogd', 'syslogd2', 'syslogd3'].every((name) =>
        keys.includes(`log.${name}.cursor.auth.${GATEWAY_SERIAL}`),
      );
    });
  });
  after(async () => {
    await loop?.stop();
    await g?.close();
    await rsyslog?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends each login once, in order, in the format of each server; an admin change too', async () => {
    const [start = ''] = (await g.store.authLog.list({ limit: 1 })).map((entry) => entry.id);
    for (let i = 0; i < 20; i++) {
      const wrong = i % 4 === 3;
      await g.auth.login({
        username: wrong ? `nobody-${i}` : 'carol',
        password: PASSWORD,
        context: { frontEnd: 'http', sourceIp: `198.51.100.${i + 1}` },
      });
    }
    await g.gateway.addUser({ name: 'dave', password: PASSWORD, twoFactor: 'disable' });
    const expected = await ownIds(start);
    assert.equal(expected.length, 20);
    for (const input of ['udp', 'tcp', 'tls'] as const) {
      await waitFor(
        `${input}: 20 logins`,
        async () => (await loginIds(rsyslog, input)).length >= 20,
      );
      assert.deepEqual(await loginIds(rsyslog, input), expected, input);
    }
    await waitFor('the audit entry', async () =>
      (await rsyslog.received('tcp')).some((line) =>
        / audit \[audit@32473 .*action="user\.add" subject="dave"/.test(line),
      ),
    );
    const udp = (await rsyslog.received('udp'))[0] ?? '';
    const body = JSON.parse(ID.udp.exec(udp)?.[1] ?? '{}') as Record<string, unknown>;
    assert.deepEqual(
      [body.type, body.user, body.result, body.frontEnd],
      ['login', 'carol', 'accept', 'http'],
    );
    const all = [
      ...(await rsyslog.received('udp')),
      ...(await rsyslog.received('tcp')),
      ...(await rsyslog.received('tls')),
    ];
    assert.equal(all.filter((line) => line.includes(PASSWORD)).length, 0, 'no password');
  });

  it('loses none and sends none twice when rsyslog is stopped during 200 logins; no login waits', async () => {
    const [start = ''] = (await g.store.authLog.list({ limit: 1 })).map((entry) => entry.id);
    const before = {
      tcp: (await loginIds(rsyslog, 'tcp')).length,
      tls: (await loginIds(rsyslog, 'tls')).length,
    };
    await rsyslog.stop();
    // Every login finishes while the server is away: none is blocked by it.
    let finished = 0;
    for (let i = 0; i < 200; i++) {
      const outcome = await g.auth.login({
        username: 'carol',
        password: PASSWORD,
        context: { frontEnd: 'radius', sourceIp: '198.51.100.200' },
      });
      assert.equal(outcome.result, 'accept');
      finished += 1;
    }
    assert.equal(finished, 200, 'logins blocked while syslog was away: 0');
    await waitFor('a failed round', async () =>
      /tokenward_syslog_failures_total\{server="tcp:\/\/127\.0\.0\.1:\d+"\} [1-9]/.test(
        await g.metrics.registry.metrics(),
      ),
    );
    await rsyslog.start();
    const expected = await ownIds(start);
    assert.equal(expected.length, 200);
    for (const input of ['tcp', 'tls'] as const) {
      await waitFor(
        `${input}: the 200 logins`,
        async () => (await loginIds(rsyslog, input)).length >= before[input] + 200,
      );
      const arrived = (await loginIds(rsyslog, input)).slice(before[input]);
      assert.deepEqual(arrived, expected, `${input}: each once, in order`);
    }
  });
});
