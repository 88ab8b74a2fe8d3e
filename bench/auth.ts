import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTotp } from '../src/core/totp.js';
import { verifyTotp } from '../src/core/verify-totp.js';
import { createAtRestCipher } from '../src/crypto/at-rest-cipher.js';
import { createAuthEngine } from '../src/gateway/auth/auth-engine.js';
import { newSessionId, sessionHash } from '../src/gateway/auth/session-id.js';
import { newFortitoken } from '../src/gateway/new-fortitoken.js';
import { newUser } from '../src/gateway/new-user.js';
import { createNotifier } from '../src/gateway/notifier.js';
import { createProvisionerConnection } from '../src/gateway/provisioner-link.js';
import { sealSeed } from '../src/gateway/token-secrets.js';
import { createLogger } from '../src/log/create-logger.js';
import { createStore } from '../src/store/store.js';
import { formatRate, opsPerSecond, report } from './measure.js';

const USERS = 3000;

/**
 * OTP logins per second through the auth engine on SQLite: a challenge session consumed, the
 * user, settings and token read, the seed decrypted, the code verified, its step claimed with the
 * compare-and-set, the auth log written. The password check is left out (sessions are opened
 * beforehand, as after a right password). Beside it, the pure TOTP verifier in the same run.
 */
export async function benchAuth(): Promise<void> {
  const parameters = { algorithm: 'SHA1', digits: 6, period: 60 } as const;
  const seed = randomBytes(20);
  const now = Date.now();
  const code = generateTotp({ seed, now, ...parameters });
  const verifier = opsPerSecond(() => {
    if (!verifyTotp({ seed, code, now, ...parameters, window: 1 }).ok) throw new Error('rejected');
  });

  const dir = await mkdtemp(join(tmpdir(), 'tokenward-bench-auth-'));
  const store = await createStore(`sqlite:${join(dir, 'gateway.db')}`);
  try {
    const cipher = createAtRestCipher(randomBytes(32));
    const logins: { sessionId: string; code: string }[] = [];
    await store.transaction(async (tx) => {
      for (let i = 0; i < USERS; i++) {
        const serial = `FTKMOB${String(i).padStart(10, '0')}`;
        const tokenSeed = randomBytes(20);
        await tx.fortitokens.createMany([
          {
            ...newFortitoken(serial, 'FTMTRIAL00000001', now),
            state: 'provisioned',
            seedEnc: sealSeed(cipher, serial, tokenSeed),
            seedVersion: 1,
          },
        ]);
        const name = `user${i}`;
        await tx.users.create({
          ...newUser(name, '$scrypt$unused', now),
          twoFactor: 'fortitoken',
          tokenSerial: serial,
        });
        const sessionId = newSessionId();
        await tx.authSessions.create({
          idHash: sessionHash(sessionId),
          username: name,
          method: 'fortitoken',
          frontEnd: 'radius',
          sourceIp: '192.0.2.1',
          application: null,
          client: null,
          pushNumber: null,
          codeEnc: null,
          codeExpiresAt: null,
          resyncStep: null,
          resyncDrift: null,
          createdAt: now,
          expiresAt: now + 3_600_000,
          usedAt: null,
          groups: null,
        });
        logins.push({ sessionId, code: generateTotp({ seed: tokenSeed, now, ...parameters }) });
      }
    });
    const auth = createAuthEngine({
      store,
      cipher,
      log: createLogger({ level: 'silent' }),
      notifier: createNotifier({}),
      connection: createProvisionerConnection({ store, cipher, clock: () => now }),
      clock: () => now,
    });
    const start = performance.now();
    for (const login of logins) {
      const outcome = await auth.answerCode(login.sessionId, login.code);
      if (outcome.result !== 'accept') throw new Error(`login refused: ${JSON.stringify(outcome)}`);
    }
    const engine = logins.length / ((performance.now() - start) / 1000);
    report(
      `auth: OTP logins through the engine, SQLite, ${USERS} users`,
      formatRate(engine),
      `pure TOTP verify ${formatRate(verifier)}`,
      engine / verifier,
    );
  } finally {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  }
}
