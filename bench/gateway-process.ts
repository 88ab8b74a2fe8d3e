import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createAtRestCipher } from '../src/crypto/at-rest-cipher.js';
import { DEFAULT_ARGON2_PARAMETERS, hashPassword } from '../src/crypto/password-hash.js';
import { createGateway } from '../src/gateway/gateway.js';
import { newFortitoken } from '../src/gateway/new-fortitoken.js';
import { newUser } from '../src/gateway/new-user.js';
import { createNotifier } from '../src/gateway/notifier.js';
import { sealSeed } from '../src/gateway/token-secrets.js';
import { createLogger } from '../src/log/create-logger.js';
import { createStore } from '../src/store/store.js';
import { waitForLine } from './child-output.js';

export const BENCH_SECRET = 'bench-radius-secret';
export const BENCH_PASSWORD = 'correct horse battery staple';
export const BENCH_OTP = { algorithm: 'SHA1', digits: 6, period: 60 } as const;
/** The RADIUS client in `otp-mode token` sends from here; the append-mode one from 127.0.0.1. */
export const TOKEN_ONLY_SOURCE = '127.0.0.2';
const MASTER_KEY = Buffer.alloc(32, 7);

/**
 * A gateway database for the benchmarks: `users` users `user<i>` with a provisioned token each
 * and the same password under the production argon2id hash (hashed once), and two RADIUS
 * clients on 127.0.0.1 (append mode) and TOKEN_ONLY_SOURCE (`otp-mode token`). Returns the seeds.
 */
export async function prepareGatewayDatabase(
  url: string,
  users: number,
  /** Directory users instead: an LDAP server `bench` (simple bind, uid under `dn`) checks them. */
  directory?: { readonly port: number; readonly dn: string },
): Promise<Buffer[]> {
  const store = await createStore(url);
  const cipher = createAtRestCipher(MASTER_KEY);
  const now = Date.now();
  const gateway = createGateway({
    store,
    cipher,
    log: createLogger({ level: 'silent' }),
    notifier: createNotifier({}),
  });
  if (directory !== undefined) {
    await gateway.saveLdapServer({
      name: 'bench',
      server: '127.0.0.1',
      port: directory.port,
      cnid: 'uid',
      dn: directory.dn,
    });
  }
  const passwordHash =
    directory === undefined ? await hashPassword(BENCH_PASSWORD, DEFAULT_ARGON2_PARAMETERS) : '';
  const seeds: Buffer[] = [];
  try {
    for (let from = 0; from < users; from += 1000) {
      await store.transaction(async (tx) => {
        const tokens = [];
        const names = [];
        for (let i = from; i < Math.min(users, from + 1000); i++) {
          names.push(`user${i}`);
          const serial = `FTKMOB${String(i).padStart(10, '0')}`;
          const seed = randomBytes(20);
          seeds.push(seed);
          tokens.push({
            ...newFortitoken(serial, 'FTMTRIAL00000001', now),
            ...BENCH_OTP,
            state: 'provisioned' as const,
            seedEnc: sealSeed(cipher, serial, seed),
            seedVersion: 1,
          });
        }
        await tx.fortitokens.createMany(tokens);
        for (const [index, token] of tokens.entries()) {
          await tx.users.create({
            ...newUser(names[index] ?? '', passwordHash, now),
            twoFactor: 'fortitoken',
            tokenSerial: token.serial,
            ldapServer: directory === undefined ? null : 'bench',
          });
        }
      });
    }
    for (const [name, address, otpMode] of [
      ['bench-append', '127.0.0.1', 'append'],
      ['bench-token-only', TOKEN_ONLY_SOURCE, 'token'],
    ] as const) {
      await gateway.saveRadiusClient({ name, address, secret: BENCH_SECRET, otpMode });
    }
  } finally {
    await store.close();
  }
  return seeds;
}

/**
 * `tokenward gateway serve --radius --http` on the database, as an operator runs it; its RADIUS
 * port and the base URL of its HTTP listener.
 */
export async function startGatewayProcess(
  dataDir: string,
  url: string,
): Promise<{ child: ChildProcess; port: number; http: string }> {
  const bin = new URL('../src/cli/bin.ts', import.meta.url).pathname;
  const child = spawn(
    process.execPath,
    [
      // BENCH_CPU_PROF=DIR: the server writes a V8 CPU profile there when it stops.
      ...(process.env.BENCH_CPU_PROF === undefined
        ? []
        : ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]),
      '--import',
      'tsx',
      bin,
      'gateway',
      'serve',
      '--data',
      dataDir,
      '--db',
      url,
      '--radius',
      '127.0.0.1:0',
      '--http',
      '127.0.0.1:0',
      '--log-level',
      'warn',
    ],
    {
      env: { ...process.env, TOKENWARD_MASTER_KEY: MASTER_KEY.toString('base64') },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const banner = await waitForLine(child, /Tokenward gateway is running/);
  const port = Number(/RADIUS: 127\.0\.0\.1:(\d+)\/udp/.exec(banner)?.[1]);
  const http = /Gateway HTTP: (http:\/\/127\.0\.0\.1:\d+)/.exec(banner)?.[1] ?? '';
  // Poll failures (no token server in the bench) are printed; nothing else should be.
  child.stdout?.resume();
  child.stderr?.resume();
  return { child, port, http };
}
