import { type ChildProcess, spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { stop, waitForLine } from './child-output.js';
import { startFreeRadius } from './freeradius.js';
import {
  BENCH_PASSWORD,
  BENCH_SECRET,
  prepareGatewayDatabase,
  startGatewayProcess,
  TOKEN_ONLY_SOURCE,
} from './gateway-process.js';
import { report } from './measure.js';
import { rssBytes } from './process-usage.js';
import { accessRequest, describe, drive, type Measured, measure, userPool } from './radius-load.js';

const USERS = 100_000;
/** Enough for the PostgreSQL run (one level), which the aim compares at c=64 only. */
const POSTGRES_USERS = 25_000;
const CONCURRENCY = [1, 16, 64] as const;
const SECONDS_PER_LEVEL = 4;
const POSTGRES_ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * RADIUS logins per second at concurrency 1, 16 and 64, with p50/p99 and the server's CPU per
 * login, one process tree, one load generator, the same users: (a) FreeRADIUS 3.2 PAP from a
 * users file (the protocol floor, no OTP), (b) `tokenward gateway serve` in append mode with the
 * production argon2id hash, (c) the same server for a RADIUS client in `otp-mode token` (the
 * code alone; the NAS checked the password), (d) a UDP echo (the ceiling). Every login uses a
 * fresh code of its own user; every answer must be an Access-Accept. Then (c) on PostgreSQL at
 * c=64, and the gateway's resident memory per stored user and token at 100,000 users.
 */
export async function benchRadius(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenward-bench-radius-'));
  const children: ChildProcess[] = [];
  const postgresName = `tw_bench_${process.pid}`;
  try {
    const url = `sqlite:${join(dir, 'gateway.db')}`;
    const seeds = await prepareGatewayDatabase(url, USERS);
    const gateway = await startGatewayProcess(dir, url);
    children.push(gateway.child);
    const freeradiusDir = join(dir, 'freeradius');
    await mkdir(freeradiusDir);
    const freeradiusPort = await freeUdpPort();
    const freeradius = await startFreeRadius({
      dir: freeradiusDir,
      port: freeradiusPort,
      secret: BENCH_SECRET,
      users: seeds.map((_, i) => ({ name: `user${i}`, password: BENCH_PASSWORD })),
    });
    children.push(freeradius);
    const echo = await startUdpEcho();
    children.push(echo.child);

    const users = userPool(seeds);
    const memoryAfterWarmUp = await warmUp(gateway, users);

    for (const concurrency of CONCURRENCY) {
      const level = { concurrency, seconds: SECONDS_PER_LEVEL };
      const floor = await measure(freeradius, {
        ...level,
        port: freeradiusPort,
        from: '127.0.0.1',
        expectAccept: true,
        nextRequest: (id) => {
          const user = users.any();
          return accessRequest(id, `user${user}`, BENCH_PASSWORD);
        },
      });
      const production = await measure(gateway.child, {
        ...level,
        port: gateway.port,
        from: '127.0.0.1',
        expectAccept: true,
        nextRequest: (id) =>
          users.fresh((name, code) => accessRequest(id, name, BENCH_PASSWORD + code)),
      });
      const tokenOnly = await measure(gateway.child, {
        ...level,
        port: gateway.port,
        from: TOKEN_ONLY_SOURCE,
        expectAccept: true,
        nextRequest: (id) => users.fresh((name, code) => accessRequest(id, name, code)),
      });
      const ceiling = await measure(echo.child, {
        ...level,
        port: echo.port,
        from: '127.0.0.1',
        expectAccept: false,
        nextRequest: (id) => accessRequest(id, 'x', 'y'),
      });
      const floorText = `FreeRADIUS PAP ${describe(floor)}`;
      report(
        `radius c=${concurrency}: (a) FreeRADIUS 3.2 PAP, users file`,
        describe(floor),
        `UDP echo ${describe(ceiling)}`,
        floor.perSecond / ceiling.perSecond,
      );
      report(
        `radius c=${concurrency}: (b) Tokenward append mode, argon2id m=19 MiB t=2`,
        describe(production),
        floorText,
        production.perSecond / floor.perSecond,
      );
      report(
        `radius c=${concurrency}: (c) Tokenward otp-mode token, SQLite`,
        describe(tokenOnly),
        floorText,
        tokenOnly.perSecond / floor.perSecond,
      );
      if (concurrency === 64) await benchPostgres(dir, postgresName, tokenOnly);
    }
    await reportMemoryPerUser(dir, memoryAfterWarmUp);
  } finally {
    for (const child of children) await stop(child);
    await dropDatabase(postgresName);
    await rm(dir, { recursive: true, force: true });
  }
}

/** (c) on PostgreSQL at c=64, against the SQLite figure of the same run (aim: at least 0.7x). */
async function benchPostgres(dir: string, name: string, sqlite: Measured): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = `postgres://postgres@127.0.0.1:5432/${name}`;
  const seeds = await prepareGatewayDatabase(url, POSTGRES_USERS);
  const postgresDir = join(dir, 'postgres-node');
  await mkdir(postgresDir);
  const gateway = await startGatewayProcess(postgresDir, url);
  try {
    const users = userPool(seeds);
    await warmUp(gateway, users);
    const onPostgres = await measure(gateway.child, {
      concurrency: 64,
      seconds: SECONDS_PER_LEVEL,
      port: gateway.port,
      from: TOKEN_ONLY_SOURCE,
      expectAccept: true,
      nextRequest: (id) => users.fresh((user, code) => accessRequest(id, user, code)),
    });
    report(
      'radius c=64: (c) Tokenward otp-mode token, PostgreSQL',
      describe(onPostgres),
      `same on SQLite ${describe(sqlite)}`,
      onPostgres.perSecond / sqlite.perSecond,
    );
  } finally {
    await stop(gateway.child);
  }
}

/**
 * The gateway's memory per stored user and token: the RSS of the 100,000-user gateway after its
 * warm-up beside that of a gateway on a database of 1,000 users after the same warm-up.
 */
async function reportMemoryPerUser(dir: string, large: number): Promise<void> {
  const smallDir = join(dir, 'small-node');
  await mkdir(smallDir);
  const url = `sqlite:${join(smallDir, 'gateway.db')}`;
  const seeds = await prepareGatewayDatabase(url, 1_000);
  const small = await startGatewayProcess(smallDir, url);
  try {
    const base = await warmUp(small, userPool(seeds));
    const perUser = (large - base) / (USERS - seeds.length);
    report(
      `radius: gateway memory per stored user and token, ${USERS.toLocaleString('en-US')} users`,
      `${Math.max(0, perUser).toFixed(0)} bytes (RSS ${mib(large)})`,
      `1,000 users: RSS ${mib(base)}`,
      large / base,
    );
  } finally {
    await stop(small.child);
  }
}

/** 500 token-only logins at c=16, so what is measured after has warmed up; the RSS then. */
async function warmUp(
  gateway: { child: ChildProcess; port: number },
  users: ReturnType<typeof userPool>,
): Promise<number> {
  let left = 500;
  await drive({
    port: gateway.port,
    from: TOKEN_ONLY_SOURCE,
    concurrency: 16,
    seconds: 60,
    expectAccept: true,
    nextRequest: (id) =>
      left-- > 0 ? users.fresh((user, code) => accessRequest(id, user, code)) : undefined,
  });
  return rssBytes(gateway.child.pid ?? 0);
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

/** A UDP responder that sends each datagram straight back, in its own process. */
async function startUdpEcho(): Promise<{ child: ChildProcess; port: number }> {
  const code = `const s = require('node:dgram').createSocket('udp4');
s.on('message', (m, r) => s.send(m, r.port, r.address));
s.bind(0, '127.0.0.1', () => console.log('echo on ' + s.address().port));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'pipe'] });
  const line = await waitForLine(child, /echo on \d+/);
  return { child, port: Number(/echo on (\d+)/.exec(line)?.[1]) };
}

async function freeUdpPort(): Promise<number> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(resolve));
  return port;
}

async function dropDatabase(name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}
