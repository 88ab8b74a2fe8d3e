import { X509Certificate } from 'node:crypto';
import { isTokenwardError } from '../../core/errors.js';
import { VERSION } from '../../core/version.js';
import type { GatewayContext } from '../context.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import { SYSLOG_FACILITIES, SYSLOG_PATHS, settingKey } from '../gateway-settings.js';
import { type SyslogEvent, type SyslogFormat, syslogMessage } from './syslog-message.js';
import {
  createSyslogTransport,
  type SyslogDestination,
  type SyslogTransport,
} from './syslog-transport.js';

/** Events sent per write. */
const BATCH = 200;
/** Audit entries are sent once this old: every writer's transaction has committed by then. */
const AUDIT_SETTLE_MS = 2_000;
/** The node that holds this sends the audit log (and logins no node decided). */
const AUDIT_LEASE = 'log.syslogd.audit-lease';
const LEASE_MS = 30_000;

interface Target extends SyslogDestination {
  /** The section's own name: syslogd, syslogd2, ... */
  readonly name: string;
  /** transport://host:port: a cursor made for another server starts again from now. */
  readonly id: string;
  readonly format: SyslogFormat;
  readonly facility: number;
}

/** One ordered run of events a cursor walks: this node's logins, the audit log, ... */
interface Stream {
  readonly name: string;
  read(after: string, now: number): Promise<SyslogEvent[]>;
  last(): Promise<string>;
}

/**
 * Sends the auth log and the audit log to the syslog servers of `config log syslogd setting`
 * (docs/syslog.md). The logs are the queue: a login writes its entry as always and never waits
 * for syslog; each round sends what was written after each server's cursor and moves the
 * cursor only once the server took the events. A server that is away gets them, in order,
 * when it is back.
 */
export function createSyslogForwarder(
  ctx: GatewayContext,
  options: { readonly node: string | null; readonly metrics?: GatewayMetrics | undefined },
) {
  const transports = new Map<
    string,
    { readonly id: string; readonly transport: SyslogTransport; down: boolean }
  >();
  const { node, metrics } = options;
  const ownLogins: Stream = loginStream(node);

  function loginStream(of: string | null): Stream {
    return {
      name: `auth.${of ?? '-'}`,
      read: async (after) =>
        (await ctx.store.authLog.after(of, after, BATCH)).map((entry) => ({
          kind: 'login',
          entry,
        })),
      last: () => ctx.store.authLog.lastId(of),
    };
  }
  const audit: Stream = {
    name: 'audit',
    read: async (after, now) =>
      (await ctx.store.auditLog.after(after, now - AUDIT_SETTLE_MS, BATCH)).map((entry) => ({
        kind: 'audit',
        entry,
      })),
    last: () => ctx.store.auditLog.lastId(),
  };

  async function holdsAuditLease(now: number): Promise<boolean> {
    const lease = (await ctx.store.settings.get(AUDIT_LEASE)) as
      | { node: string | null; until: number }
      | undefined;
    if (lease !== undefined && lease.until > now) {
      if (lease.node !== node) return false;
      // Renewed when half gone, not written every round.
      if (lease.until - now > LEASE_MS / 2) return true;
    }
    return ctx.store.settings.replaceIf(AUDIT_LEASE, lease, { node, until: now + LEASE_MS }, now);
  }

  // The servers, read again only when the configuration's version changed (a config import
  // moves it on every node within CONFIG_CHECK_MS), not the settings table every round.
  let configured: { readonly version: unknown; readonly targets: Target[] } | undefined;
  async function currentTargets(): Promise<Target[]> {
    const version = await ctx.settings.version();
    if (configured === undefined || configured.version !== version) {
      configured = { version, targets: syslogTargets(await ctx.store.settings.all()) };
    }
    return configured.targets;
  }

  /** Sends one stream's events after its cursor to one target, as long as there are any. */
  async function forward(target: Target, transport: SyslogTransport, stream: Stream, now: number) {
    const key = `log.${target.name}.cursor.${stream.name}`;
    const cursor = (await ctx.store.settings.get(key)) as
      | { target: string; id: string }
      | undefined;
    if (cursor?.target !== target.id) {
      // A new server gets what happens from now on, not the whole retained log.
      await ctx.store.settings.set(key, { target: target.id, id: await stream.last() }, now);
      return;
    }
    let after = cursor.id;
    for (;;) {
      const events = await stream.read(after, now);
      const last = events.at(-1);
      if (last === undefined) return;
      const message = {
        format: target.format,
        facility: target.facility,
        hostname: node ?? 'tokenward',
        procId: String(process.pid),
        version: VERSION,
      };
      await transport.send(events.map((event) => syslogMessage(event, message)));
      await ctx.store.settings.set(key, { target: target.id, id: last.entry.id }, now);
      metrics?.syslogSent(target.id, events.length);
      after = last.entry.id;
      if (events.length < BATCH) return;
    }
  }

  return {
    /** One round: every enabled server gets what was logged since it last took events. */
    async round(): Promise<void> {
      const now = ctx.clock();
      const targets = await currentTargets();
      for (const [name, held] of transports) {
        if (!targets.some((t) => t.name === name && t.id === held.id)) {
          held.transport.close();
          transports.delete(name);
        }
      }
      if (targets.length === 0) return;
      const streams = (await holdsAuditLease(now))
        ? [ownLogins, audit, ...(node === null ? [] : [loginStream(null)])]
        : [ownLogins];
      for (const target of targets) {
        let held = transports.get(target.name);
        if (held === undefined) {
          held = { id: target.id, transport: createSyslogTransport(target), down: false };
          transports.set(target.name, held);
        }
        try {
          for (const stream of streams) await forward(target, held.transport, stream, now);
          metrics?.syslogUp(target.id, true);
          if (held.down) ctx.log.info({ server: target.id }, 'syslog server reachable again');
          held.down = false;
        } catch (error) {
          if (!isTokenwardError(error, 'TW_SYSLOG_UNREACHABLE')) throw error;
          metrics?.syslogUp(target.id, false);
          // Once per outage, not once a second.
          if (!held.down) ctx.log.warn({ code: error.code, server: target.id }, error.message);
          held.down = true;
        }
      }
    },

    close(): void {
      for (const { transport } of transports.values()) transport.close();
      transports.clear();
    },
  };
}

export type SyslogForwarder = ReturnType<typeof createSyslogForwarder>;

/** The enabled servers of the syslogd sections, read from the settings. */
function syslogTargets(settings: Map<string, unknown>): Target[] {
  return SYSLOG_PATHS.flatMap((path) => {
    const value = (name: string) => settings.get(settingKey(path, name));
    const server = String(value('server') ?? '');
    if (value('status') !== 'enable' || server === '') return [];
    const tls = (value('enc-algorithm') ?? 'disable') !== 'disable';
    const transport = value('mode') === 'reliable' ? (tls ? 'tls' : 'tcp') : 'udp';
    const port = Number(value('port') ?? 514);
    const caCert = String(value('ca-cert') ?? '');
    const facility = SYSLOG_FACILITIES.indexOf(
      String(value('facility') ?? 'local7') as (typeof SYSLOG_FACILITIES)[number],
    );
    const name = path.split(' ')[1] ?? path;
    return [
      {
        name,
        id: `${transport}://${server}:${port}`,
        transport,
        host: server,
        port,
        ...(caCert === ''
          ? {}
          : { ca: new X509Certificate(Buffer.from(caCert, 'base64')).toString() }),
        format: (value('format') ?? 'default') as SyslogFormat,
        facility: facility < 0 ? 23 : facility,
      },
    ];
  });
}
