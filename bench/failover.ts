/**
 * `npm run bench -- failover`: two `gateway serve` nodes on one PostgreSQL database under a
 * steady login load over HTTP; PostgreSQL is restarted in the middle (as privacyIDEA's HA test
 * does). Prints the failed requests and the longest failure window beside the same load with
 * no restart, and checks that every accepted login is in the auth log. Restarts the machine's
 * PostgreSQL cluster: run it where nothing else needs it for those seconds.
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { hashPassword } from '../src/crypto/password-hash.js';
import { newUser } from '../src/gateway/new-user.js';
import { createStore } from '../src/store/store.js';
import { report } from './measure.js';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const USERS = 50;
const CONCURRENCY = 8;
const BIN = new URL('../src/cli/bin.ts', import.meta.url).pathname;
const run = promisify(execFile);

interface Phase {
  readonly sent: number;
  readonly failed: number;
  readonly accepted: number;
  readonly seconds: number;
  /**
   * The longest failure window, in seconds: from the first to the last failed request of a run
   * of failures with no gap of a second or more between them.
   */
  readonly longestWindow: number;
  /** What the failures were: HTTP status or error code, and how many. */
  readonly causes: ReadonlyMap<string, number>;
}

export async function benchFailover(): Promise<void> {
  const name = `tokenward_bench_${randomBytes(4).toString('hex')}`;
  await admin(`CREATE DATABASE ${name}`);
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  const dir = await mkdtemp(join(tmpdir(), 'tokenward-failover-'));
  const env = { ...process.env, TOKENWARD_MASTER_KEY: randomBytes(32).toString('base64') };
  const nodes: ReturnType<typeof spawn>[] = [];
  try {
    const store = await createStore(url);
    // A cheap hash: the figure is about the database going away, not about scrypt.
    const hash = await hashPassword('bench-password', { logN: 10, r: 8, p: 1 });
    for (let i = 0; i < USERS; i++) await store.users.create(newUser(`user${i}`, hash, Date.now()));
    await store.close();

    const apis: string[] = [];
    for (let i = 0; i < 2; i++) {
      const child = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          BIN,
          'gateway',
          'serve',
          '--http',
          '127.0.0.1:0',
          '--db',
          url,
          '--data',
          dir,
          '--log-level',
          'fatal',
        ],
        { env, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      nodes.push(child);
      apis.push(
        await new Promise<string>((resolve, reject) => {
          let seen = '';
          child.stdout?.on('data', (chunk: Buffer) => {
            seen += chunk.toString();
            const match = /login API (http:\/\/127\.0\.0\.1:\d+\/api\/v1\/auth)/.exec(seen);
            if (match?.[1] !== undefined) resolve(match[1]);
          });
          let errors = '';
          child.stderr?.on('data', (chunk: Buffer) => {
            errors += chunk.toString();
          });
          child.once('exit', (code) => {
            console.error(
              `failover: gateway node ${i} exited with ${code}: ${errors.slice(-2000)}`,
            );
            reject(new Error(`gateway node exited ${code}: ${seen}`));
          });
        }),
      );
    }

    const steady = await load(apis, 10_000);
    const restarted = await load(apis, 20_000, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5_000));
      const cluster = readdirSync('/etc/postgresql')[0] ?? '15';
      const began = performance.now();
      // Not execFileSync: the load must go on while PostgreSQL restarts.
      await run('pg_ctlcluster', ['--skip-systemctl-redirect', cluster, 'main', 'restart']);
      console.log(
        `failover: PostgreSQL restarted in ${((performance.now() - began) / 1000).toFixed(1)} s`,
      );
    });
    const logged = await countAccepts(url);
    const show = (phase: Phase) =>
      `${phase.sent} logins in ${phase.seconds.toFixed(0)} s (${(phase.sent / phase.seconds).toFixed(0)}/s), ${((100 * phase.failed) / phase.sent).toFixed(2)} % failed, longest failure window ${phase.longestWindow.toFixed(1)} s`;
    report(
      'failover (2 gateway nodes, PostgreSQL restarted)',
      show(restarted),
      show(steady),
      restarted.sent / restarted.seconds / (steady.sent / steady.seconds),
    );
    console.log(
      `failover: failures by cause: ${JSON.stringify(Object.fromEntries(restarted.causes))}`,
    );
    console.log(
      `failover: accepted ${steady.accepted + restarted.accepted} logins, auth log holds ${logged} accepts (lost: ${steady.accepted + restarted.accepted - logged})`,
    );
  } finally {
    for (const node of nodes) node.kill('SIGTERM');
    await Promise.all(nodes.map((node) => new Promise((resolve) => node.once('exit', resolve))));
    await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    await rm(dir, { recursive: true, force: true });
  }
}

/** CONCURRENCY workers logging in for `ms`, alternating nodes; `during` runs beside them. */
async function load(
  apis: readonly string[],
  ms: number,
  during?: () => Promise<void>,
): Promise<Phase> {
  const started = performance.now();
  const end = started + ms;
  let sent = 0;
  let failed = 0;
  let accepted = 0;
  const failedAt: number[] = [];
  const causes = new Map<string, number>();
  const worker = async (id: number) => {
    for (let n = 0; performance.now() < end; n++) {
      const api = apis[(id + n) % apis.length] ?? '';
      const cause = await fetch(api, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          username: `user${(id * 7 + n) % USERS}`,
          password: 'bench-password',
        }),
        signal: AbortSignal.timeout(10_000),
      }).then(
        async (response) => {
          const body = (await response.json()) as { result?: string; error?: { code?: string } };
          return response.status === 200 && body.result === 'accept'
            ? undefined
            : `${response.status} ${body.error?.code ?? ''}`;
        },
        (error: Error) => error.name,
      );
      sent++;
      if (cause === undefined) {
        accepted++;
        continue;
      }
      failed++;
      failedAt.push(performance.now());
      causes.set(cause, (causes.get(cause) ?? 0) + 1);
      // A failure fast enough to spin is paced, as a NAS retrying would be.
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };
  await Promise.all([...Array.from({ length: CONCURRENCY }, (_, id) => worker(id)), during?.()]);
  return {
    sent,
    failed,
    accepted,
    seconds: (performance.now() - started) / 1000,
    longestWindow: longestRun(failedAt.sort((a, b) => a - b)) / 1000,
    causes,
  };
}

/** The longest span of `times` (sorted, ms) whose neighbours are less than a second apart. */
function longestRun(times: readonly number[]): number {
  let longest = 0;
  let start = times[0] ?? 0;
  for (let i = 1; i < times.length; i++) {
    const previous = times[i - 1] ?? 0;
    const current = times[i] ?? 0;
    if (current - previous >= 1_000) start = current;
    longest = Math.max(longest, current - start);
  }
  return longest;
}

async function countAccepts(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM auth_log WHERE result = 'accept'",
    );
    return rows[0]?.n ?? 0;
  } finally {
    await client.end();
  }
}

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
