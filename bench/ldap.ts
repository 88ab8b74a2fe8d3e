import type { ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'ldapts';
import { PEOPLE_DN, startSlapd } from '../test/helpers/slapd.js';
import { stop } from './child-output.js';
import { BENCH_PASSWORD, prepareGatewayDatabase, startGatewayProcess } from './gateway-process.js';
import { report } from './measure.js';
import { cpuSeconds } from './process-usage.js';
import { accessRequest, describe, measure, userPool } from './radius-load.js';

const USERS = 3_000;
const CONCURRENCY = [1, 16] as const;
const SECONDS_PER_LEVEL = 4;

/**
 * RADIUS logins per second in append mode (password and a fresh code) for directory users (a
 * bind as the user on a real slapd checks the password) beside local users (argon2id m=19 MiB
 * t=2), both through `tokenward gateway serve --radius`, and slapd's own cost of a bind (binds
 * per second from a client in the bench process, slapd's CPU per bind) in the same run.
 */
export async function benchLdap(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenward-bench-ldap-'));
  const people = Array.from({ length: USERS }, (_, i) => ({
    uid: `user${i}`,
    password: BENCH_PASSWORD,
  }));
  const directory = await startSlapd(people);
  const children: ChildProcess[] = [];
  try {
    const directoryDir = join(dir, 'directory-node');
    const localDir = join(dir, 'local-node');
    await mkdir(directoryDir);
    await mkdir(localDir);
    const directoryUrl = `sqlite:${join(directoryDir, 'gateway.db')}`;
    const localUrl = `sqlite:${join(localDir, 'gateway.db')}`;
    const directorySeeds = await prepareGatewayDatabase(directoryUrl, USERS, {
      port: directory.port,
      dn: PEOPLE_DN,
    });
    const localSeeds = await prepareGatewayDatabase(localUrl, USERS);
    const directoryNode = await startGatewayProcess(directoryDir, directoryUrl);
    const localNode = await startGatewayProcess(localDir, localUrl);
    children.push(directoryNode.child, localNode.child);
    const directoryUsers = userPool(directorySeeds);
    const localUsers = userPool(localSeeds);

    for (const concurrency of CONCURRENCY) {
      const level = {
        concurrency,
        seconds: SECONDS_PER_LEVEL,
        from: '127.0.0.1',
        expectAccept: true,
      };
      const binds = await bindsPerSecond(directory.port, directory.pid(), concurrency);
      const fromDirectory = await measure(directoryNode.child, {
        ...level,
        port: directoryNode.port,
        nextRequest: (id) =>
          directoryUsers.fresh((name, code) => accessRequest(id, name, BENCH_PASSWORD + code)),
      });
      const local = await measure(localNode.child, {
        ...level,
        port: localNode.port,
        nextRequest: (id) =>
          localUsers.fresh((name, code) => accessRequest(id, name, BENCH_PASSWORD + code)),
      });
      const bindsText = `slapd simple binds ${Math.round(binds.perSecond).toLocaleString('en-US')}/s, slapd CPU ${binds.cpuMs.toFixed(3)} ms/bind`;
      report(
        `ldap c=${concurrency}: directory users, append mode`,
        describe(fromDirectory),
        bindsText,
        fromDirectory.perSecond / binds.perSecond,
      );
      report(
        `ldap c=${concurrency}: local users (argon2id), append mode`,
        describe(local),
        `directory users ${describe(fromDirectory)}`,
        local.perSecond / fromDirectory.perSecond,
      );
    }
  } finally {
    for (const child of children) await stop(child);
    await directory.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** Binds as the users (a new connection each, as a login makes), `concurrency` at a time. */
async function bindsPerSecond(
  port: number,
  slapdPid: number,
  concurrency: number,
): Promise<{ perSecond: number; cpuMs: number }> {
  const before = cpuSeconds(slapdPid);
  const started = performance.now();
  const deadline = started + SECONDS_PER_LEVEL * 1000;
  let binds = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      for (let i = worker; performance.now() < deadline; i += concurrency) {
        const client = new Client({ url: `ldap://127.0.0.1:${port}`, timeout: 5000 });
        await client.bind(`uid=user${i % USERS},${PEOPLE_DN}`, BENCH_PASSWORD);
        await client.unbind();
        binds++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { perSecond: binds / seconds, cpuMs: ((cpuSeconds(slapdPid) - before) * 1000) / binds };
}
