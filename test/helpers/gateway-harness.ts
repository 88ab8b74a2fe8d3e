import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import type { Logger } from 'pino';
import { createAtRestCipher } from '../../src/crypto/at-rest-cipher.js';
import type { AuthOutcome, LoginContext } from '../../src/gateway/auth/auth-outcome.js';
import type { PasswordHasher } from '../../src/gateway/auth/first-factor.js';
import { createGatewayNode } from '../../src/gateway/gateway-node.js';
import { createNotifier } from '../../src/gateway/notifier.js';
import { createRadiusServer, type RadiusServer } from '../../src/gateway/radius/radius-server.js';
import { createLogger } from '../../src/log/create-logger.js';
import { createMobileToken } from '../../src/mobile/mobile-token.js';
import type { DatabaseEngine } from '../../src/store/database.js';
import { createStore } from '../../src/store/store.js';
import { createTestDatabase } from './databases.js';
import { startProvisionerHarness, testClock } from './provisioner-harness.js';
import { startSmsWebhook } from './sms-webhook.js';
import { startSmtpSink } from './smtp-sink.js';

export const GATEWAY_SERIAL = 'FGT60F0000000001';

export type Challenge = Extract<AuthOutcome, { result: 'challenge' }>;

/**
 * A gateway node with its auth engine, enrolled at a real provisioner over HTTP, with a real SMTP
 * server and SMS webhook, and phones that are real mobile tokens. The gateway's clock runs with
 * real time but tests may move it (time is a parameter, never faked globally).
 */
export async function startGatewayHarness(
  engine: DatabaseEngine,
  options: {
    passwords?: PasswordHasher;
    /** Where the node and its RADIUS listener log (silent by default). */
    log?: Logger;
  } = {},
) {
  const provisioner = await startProvisionerHarness(engine, undefined, { realTime: true });
  const smtp = await startSmtpSink();
  const sms = await startSmsWebhook();
  const database = await createTestDatabase(engine);
  const store = await createStore(database.url);
  const root = await mkdtemp(join(tmpdir(), 'tokenward-auth-'));
  const clock = testClock(true);
  const cipher = createAtRestCipher(Buffer.alloc(32, 9));
  const log = options.log ?? createLogger({ level: 'silent' });
  const notifier = createNotifier({
    smtp: { host: '127.0.0.1', port: smtp.port, tls: 'none', from: 'gateway@vpn.example.com' },
    smsWebhook: sms.url,
  });
  const { gateway, auth, metrics, syslog } = createGatewayNode({
    store,
    cipher,
    log,
    notifier,
    clock: () => clock.now,
    serial: GATEWAY_SERIAL,
    ...(options.passwords === undefined ? {} : { passwords: options.passwords }),
  });
  const added = await provisioner.provisioner.admin.addGateway(
    { serial: GATEWAY_SERIAL },
    provisioner.clock.now,
  );
  await gateway.enroll({
    provisionerUrl: provisioner.url,
    serial: added.serial,
    secret: added.secret,
  });
  await gateway.importLicence('0000-0000-0000-0000-0000');
  const pack = await provisioner.provisioner.admin.createLicence(
    { tokens: 8 },
    provisioner.clock.now,
  );
  await gateway.importLicence(pack.code);

  const radiusServers: RadiusServer[] = [];

  /** A user with a free token whose activation went out by e-mail (not yet on a phone). */
  async function mailedUser(
    name: string,
    /** A directory user: this LDAP server checks the password (the directory's own). */
    directory?: { readonly ldapServer: string; readonly password: string },
  ) {
    const password = directory?.password ?? `correct-horse-${name.length}`;
    const before = smtp.received.length;
    const added = await gateway.addUser({
      name,
      ...(directory === undefined ? { password } : { ldapServer: directory.ldapServer }),
      email: `${name}@example.com`,
      token: 'auto',
    });
    const code = /^ {4}([A-Z2-7]{16})$/m.exec(smtp.received[before]?.text ?? '')?.[1] ?? '';
    assert.match(code, /^[A-Z2-7]{16}$/, 'the activation mail carries a code');
    return { password, serial: added.token ?? '', code };
  }

  return {
    provisioner,
    smtp,
    sms,
    store,
    cipher,
    gateway,
    auth,
    metrics,
    syslog,
    clock,
    databaseUrl: database.url,

    /**
     * A user with a FortiToken activated on their own phone (a real mobile token whose clock
     * the test may move), the activation having gone out by e-mail.
     */
    async tokenUser(
      name: string,
      directory?: { readonly ldapServer: string; readonly password: string },
    ) {
      const { password, serial, code } = await mailedUser(name, directory);
      const phoneClock = testClock(true);
      const dir = join(root, name);
      const phone = createMobileToken({
        dir,
        version: '1.0.0',
        clock: () => phoneClock.now,
      });
      await phone.activate({ code, server: provisioner.url });
      await gateway.poll();
      return {
        name,
        password,
        serial,
        phone,
        /** The phone's device directory, for `tokenward mobile ... --device DIR`. */
        dir,
        phoneClock,
        code: async () => (await phone.code(serial)).code,
      };
    },

    mailedUser,

    /**
     * This node's RADIUS listener on a free UDP port of 127.0.0.1, on the harness's clock;
     * closed with the harness (closing it earlier is fine).
     */
    async radius(radiusLog: Logger = log) {
      const server = createRadiusServer({
        gateway,
        auth,
        log: radiusLog,
        clock: () => clock.now,
        metrics,
      });
      const { port } = await server.listen('127.0.0.1', 0);
      radiusServers.push(server);
      return { server, port };
    },

    /** Logs a user in with the password; the challenge that must follow (else the test fails). */
    async challenge(
      user: { name: string; password: string },
      context: LoginContext = { frontEnd: 'http', sourceIp: '203.0.113.1' },
    ): Promise<Challenge> {
      const outcome = await auth.login({ username: user.name, password: user.password, context });
      assert.equal(outcome.result, 'challenge', JSON.stringify(outcome));
      return outcome as Challenge;
    },

    async close() {
      await Promise.all(radiusServers.map((server) => server.close().catch(() => undefined)));
      await store.close();
      await database.drop();
      await smtp.close();
      await sms.close();
      await provisioner.close();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export type GatewayHarness = Awaited<ReturnType<typeof startGatewayHarness>>;
export type TokenUser = Awaited<ReturnType<GatewayHarness['tokenUser']>>;

/**
 * The usual setup of a gateway test suite: registers, in the calling `describe`, hooks that start
 * a harness with one FortiToken user `alice` and close it after. Read `g` and `alice` in tests.
 */
export function gatewayWithAlice(engine: DatabaseEngine): { g: GatewayHarness; alice: TokenUser } {
  const fixture = {} as { g: GatewayHarness; alice: TokenUser };
  before(async () => {
    fixture.g = await startGatewayHarness(engine);
    fixture.alice = await fixture.g.tokenUser('alice');
  });
  after(async () => {
    await fixture.g?.close();
  });
  return fixture;
}
