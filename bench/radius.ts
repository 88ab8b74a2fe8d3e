import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTotp } from '../src/core/totp.js';
import { createAtRestCipher } from '../src/crypto/at-rest-cipher.js';
import {
  type Argon2Parameters,
  DEFAULT_ARGON2_PARAMETERS,
  hashPassword,
} from '../src/crypto/password-hash.js';
import { createAuthEngine } from '../src/gateway/auth/auth-engine.js';
import { argon2Hasher } from '../src/gateway/auth/first-factor.js';
import { createGateway } from '../src/gateway/gateway.js';
import { newFortitoken } from '../src/gateway/new-fortitoken.js';
import { newUser } from '../src/gateway/new-user.js';
import { createNotifier } from '../src/gateway/notifier.js';
import { createProvisionerConnection } from '../src/gateway/provisioner-link.js';
import { createRadiusServer } from '../src/gateway/radius/radius-server.js';
import { sealSeed } from '../src/gateway/token-secrets.js';
import { createLogger } from '../src/log/create-logger.js';
import { decodePacket, RadiusCode } from '../src/protocol/radius/packet.js';
import { buildAccessRequest } from '../src/protocol/radius/radius-client.js';
import { createStore, type Store } from '../src/store/store.js';
import { report } from './measure.js';

const USERS = 10_000;
const SECRET = Buffer.from('bench-radius-secret');
const PASSWORD = 'correct horse battery staple';
const PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 60 } as const;
const CONCURRENCY = [1, 16, 64] as const;
const SECONDS_PER_LEVEL = 4;
/** The floor stored hashes may use (8 MiB, one pass): what the server costs beside a hash. */
const CHEAP_ARGON2: Argon2Parameters = { memoryKiB: 8_192, timeCost: 1, parallelism: 1 };

interface LevelResult {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
}

/**
 * RADIUS logins per second (append mode: password and a valid code, Message-Authenticator) at
 * concurrency 1, 16 and 64 against our server with 10,000 users, beside a minimal UDP responder
 * that answers each datagram at once, driven by the same load generator in the same process.
 * Run twice: with the production password hash (argon2id m=19 MiB t=2, which dominates by
 * design) and with a cheap one (argon2id m=8 MiB t=1), which shows what the server itself costs.
 */
export async function benchRadius(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenward-bench-radius-'));
  const store = await createStore(`sqlite:${join(dir, 'gateway.db')}`);
  const echo = createSocket('udp4');
  echo.on('message', (message, from) => echo.send(message, from.port, from.address));
  await new Promise<void>((resolve) => echo.bind(0, '127.0.0.1', resolve));
  try {
    const cipher = createAtRestCipher(randomBytes(32));
    const seeds = await createUsers(store, cipher);
    let now = Date.now();
    const log = createLogger({ level: 'silent' });
    const gateway = createGateway({ store, cipher, log, notifier: createNotifier({}) });
    const echoPort = echo.address().port;

    for (const [label, cost, mode] of [
      ['append mode, argon2id m=19 MiB t=2 (production)', DEFAULT_ARGON2_PARAMETERS, 'append'],
      ['append mode, argon2id m=8 MiB t=1 (cheap hash)', CHEAP_ARGON2, 'append'],
      ['token-only (otp-mode token: the NAS checked the password)', CHEAP_ARGON2, 'token'],
    ] as const) {
      await setPasswordHashes(store, cost);
      await gateway.saveRadiusClient({
        name: 'bench',
        address: '127.0.0.1',
        secret: SECRET.toString(),
        otpMode: mode,
      });
      const auth = createAuthEngine({
        store,
        cipher,
        log,
        notifier: createNotifier({}),
        connection: createProvisionerConnection({ store, cipher, clock: () => now }),
        clock: () => now,
        // Hashes made with the level's parameters count as current: no rehash mid-run.
        passwords: argon2Hasher(cost),
      });
      const server = createRadiusServer({ gateway, auth, log, clock: () => now });
      const { port } = await server.listen('127.0.0.1', 0);
      for (const concurrency of CONCURRENCY) {
        // A new step for each level, so every user has a fresh code to spend.
        now += PARAMETERS.period * 1000;
        let next = 0;
        const nextRequest = (identifier: number): Buffer | undefined => {
          if (next >= USERS) return undefined;
          const index = next++;
          const code = generateTotp({ seed: seeds[index] ?? Buffer.alloc(20), now, ...PARAMETERS });
          return accessRequest(
            identifier,
            `user${index}`,
            mode === 'token' ? code : `${PASSWORD}${code}`,
          );
        };
        const ours = await drive(port, concurrency, nextRequest, true);
        const baseline = await drive(
          echoPort,
          concurrency,
          (identifier) => accessRequest(identifier, 'x', 'y'),
          false,
        );
        report(
          `radius: logins, ${USERS} users, ${label}, concurrency ${concurrency}`,
          describe(ours),
          `UDP echo ${describe(baseline)}`,
          ours.perSecond / baseline.perSecond,
        );
      }
      await server.close();
    }
  } finally {
    echo.close();
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}

function describe(result: LevelResult): string {
  return `${Math.round(result.perSecond).toLocaleString('en-US')}/s p50 ${result.p50.toFixed(2)} ms p99 ${result.p99.toFixed(2)} ms`;
}

async function createUsers(
  store: Store,
  cipher: ReturnType<typeof createAtRestCipher>,
): Promise<Buffer[]> {
  const now = Date.now();
  const seeds: Buffer[] = [];
  await store.transaction(async (tx) => {
    for (let i = 0; i < USERS; i++) {
      const serial = `FTKMOB${String(i).padStart(10, '0')}`;
      const seed = randomBytes(20);
      seeds.push(seed);
      await tx.fortitokens.createMany([
        {
          ...newFortitoken(serial, 'FTMTRIAL00000001', now),
          state: 'provisioned',
          seedEnc: sealSeed(cipher, serial, seed),
          seedVersion: 1,
        },
      ]);
      await tx.users.create({
        ...newUser(`user${i}`, '$scrypt$unset', now),
        twoFactor: 'fortitoken',
        tokenSerial: serial,
      });
    }
  });
  return seeds;
}

/** Every user gets the same password under a hash of `cost` (one hash, computed once). */
async function setPasswordHashes(store: Store, cost: Argon2Parameters): Promise<void> {
  const passwordHash = await hashPassword(PASSWORD, cost);
  await store.transaction(async (tx) => {
    for (let i = 0; i < USERS; i++) await tx.users.update(`user${i}`, { passwordHash });
  });
}

function accessRequest(identifier: number, username: string, password: string): Buffer {
  return buildAccessRequest({ identifier, secret: SECRET.toString(), username, password }).datagram;
}

/**
 * `concurrency` clients, each with its own socket, each sending one request and waiting for
 * its answer before the next, for SECONDS_PER_LEVEL or until requests run out.
 */
async function drive(
  port: number,
  concurrency: number,
  nextRequest: (identifier: number) => Buffer | undefined,
  expectAccept: boolean,
): Promise<LevelResult> {
  const latencies: number[] = [];
  const deadline = performance.now() + SECONDS_PER_LEVEL * 1000;
  const started = performance.now();
  const client = async () => {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
    try {
      for (let identifier = 0; performance.now() < deadline; identifier = (identifier + 1) % 256) {
        const request = nextRequest(identifier);
        if (request === undefined) break;
        const sent = performance.now();
        const answer = await exchange(socket, request, port);
        latencies.push(performance.now() - sent);
        if (expectAccept && decodePacket(answer).code !== RadiusCode.AccessAccept) {
          throw new Error('a benchmark login was not accepted');
        }
      }
    } finally {
      socket.close();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return { perSecond: latencies.length / elapsed, p50: at(0.5), p99: at(0.99) };
}

function exchange(socket: Socket, request: Buffer, port: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no answer within 30 s')), 30_000);
    socket.once('message', (message) => {
      clearTimeout(timer);
      resolve(message);
    });
    socket.send(request, port, '127.0.0.1');
  });
}
