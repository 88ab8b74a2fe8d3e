import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateTotp } from '../src/core/totp.js';
import { newSessionId, sessionHash } from '../src/gateway/auth/session-id.js';
import { createStore } from '../src/store/store.js';
import { stop, waitForLine } from './child-output.js';
import {
  BENCH_OTP,
  BENCH_PASSWORD,
  prepareGatewayDatabase,
  startGatewayProcess,
} from './gateway-process.js';
import { latencySummary, report } from './measure.js';
import { cpuSeconds } from './process-usage.js';
import { describe, type Measured } from './radius-load.js';

const USERS = 60_000;
const CONCURRENCY = [1, 16, 64] as const;
const SECONDS_PER_LEVEL = 4;

/**
 * The HTTP login API of `tokenward gateway serve` at concurrency 1, 16 and 64 beside a trivial
 * fastify route (JSON in, JSON out) in its own process, one load generator: (b) the whole
 * login, password (production argon2id) then code, two requests; (c) the code step alone, on
 * sessions opened beforehand as after a right password, which is what the server costs beside
 * the hash. Every answer must be an accept; logins/s, p50/p99 and server CPU per login.
 */
export async function benchHttpLogin(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenward-bench-http-'));
  const children: ChildProcess[] = [];
  try {
    const url = `sqlite:${join(dir, 'gateway.db')}`;
    const seeds = await prepareGatewayDatabase(url, USERS);
    // Sessions for the second half of the users, as a right password would have opened them.
    const half = USERS / 2;
    const sessions = await openSessions(url, half, USERS);
    const gateway = await startGatewayProcess(dir, url);
    children.push(gateway.child);
    const trivial = await startTrivialRoute();
    children.push(trivial.child);
    const api = `${gateway.http}/api/v1`;
    let nextPassword = 0;
    let nextSession = half;
    const code = (index: number) =>
      generateTotp({ seed: seeds[index] ?? Buffer.alloc(20), now: Date.now(), ...BENCH_OTP });

    for (const concurrency of CONCURRENCY) {
      const floor = await measure(trivial.child, concurrency, async () => {
        await post(`${trivial.url}/login`, { username: 'x', password: 'y' }, 'accept');
        return true;
      });
      const whole = await measure(gateway.child, concurrency, async () => {
        const index = nextPassword++;
        if (index >= half) return false;
        const username = `user${index}`;
        const challenge = await post(
          `${api}/auth`,
          { username, password: BENCH_PASSWORD },
          'challenge',
        );
        await post(
          `${api}/auth/otp`,
          { session_id: challenge.session_id, code: code(index) },
          'accept',
        );
        return true;
      });
      const codeStep = await measure(gateway.child, concurrency, async () => {
        const index = nextSession++;
        const sessionId = sessions.get(index);
        if (sessionId === undefined) return false;
        await post(`${api}/auth/otp`, { session_id: sessionId, code: code(index) }, 'accept');
        return true;
      });
      const floorText = `trivial fastify route ${describe(floor)}`;
      report(
        `http-login c=${concurrency}: (b) password (argon2id m=19 MiB t=2) then code`,
        describe(whole),
        floorText,
        whole.perSecond / floor.perSecond,
      );
      report(
        `http-login c=${concurrency}: (c) the code step alone`,
        describe(codeStep),
        floorText,
        codeStep.perSecond / floor.perSecond,
      );
    }
  } finally {
    for (const child of children) await stop(child);
    await rm(dir, { recursive: true, force: true });
  }
}

async function openSessions(url: string, from: number, to: number): Promise<Map<number, string>> {
  const store = await createStore(url);
  const now = Date.now();
  const sessions = new Map<number, string>();
  try {
    await store.transaction(async (tx) => {
      for (let index = from; index < to; index++) {
        const sessionId = newSessionId();
        sessions.set(index, sessionId);
        await tx.authSessions.create({
          idHash: sessionHash(sessionId),
          username: `user${index}`,
          method: 'fortitoken',
          frontEnd: 'http',
          sourceIp: '127.0.0.1',
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
      }
    });
  } finally {
    await store.close();
  }
  return sessions;
}

async function post(
  url: string,
  body: unknown,
  expected: string,
): Promise<{ result: string; session_id?: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as { result: string; session_id?: string };
  if (answer.result !== expected) {
    throw new Error(`a benchmark login got ${JSON.stringify(answer)}, not ${expected}`);
  }
  return answer;
}

/** `concurrency` clients, one login in flight each, for SECONDS_PER_LEVEL or until logins run out. */
async function measure(
  server: ChildProcess,
  concurrency: number,
  login: () => Promise<boolean>,
): Promise<Measured> {
  const pid = server.pid ?? 0;
  const before = cpuSeconds(pid);
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + SECONDS_PER_LEVEL * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const sent = performance.now();
      if (!(await login())) break;
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  const summary = latencySummary(latencies, (performance.now() - started) / 1000);
  return { ...summary, cpuMs: ((cpuSeconds(pid) - before) * 1000) / Math.max(1, summary.logins) };
}

/** A fastify server with one route that answers a JSON body with a JSON body, in its own process. */
async function startTrivialRoute(): Promise<{ child: ChildProcess; url: string }> {
  const code = `const app = require('fastify')();
app.post('/login', async (request) => ({ result: 'accept', username: request.body.username }));
app.listen({ host: '127.0.0.1', port: 0 }).then((url) => console.log('trivial on ' + url));`;
  const child = spawn(process.execPath, ['-e', code], {
    cwd: new URL('..', import.meta.url).pathname,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const line = await waitForLine(child, /trivial on http:\/\/\S+/);
  return { child, url: /trivial on (http:\/\/\S+)/.exec(line)?.[1] ?? '' };
}
