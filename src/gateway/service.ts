import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { TokenwardError } from '../core/errors.js';
import { warningCatalog } from '../core/warnings.js';
import { bindOrExplain } from '../http/listen-error.js';
import { isLoopback, type TlsFiles } from '../http/tls-files.js';
import type { AuthEngine } from './auth/auth-engine.js';
import { startDirectorySyncLoop } from './directory-sync-schedule.js';
import type { Gateway } from './gateway.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { buildGatewayServer } from './http/server.js';
import { startPollLoop } from './poll-loop.js';
import { createRadiusServer } from './radius/radius-server.js';
import type { SyslogForwarder } from './syslog/syslog-forwarder.js';
import { startSyslogLoop } from './syslog/syslog-loop.js';

export interface Listen {
  readonly host: string;
  readonly port: number;
}

export interface GatewayServiceOptions {
  readonly gateway: Gateway;
  readonly auth: AuthEngine;
  readonly log: Logger;
  /** The node's metrics, served at /metrics on the HTTP listener. */
  readonly metrics?: GatewayMetrics;
  /** When set, /metrics needs `Authorization: Bearer <token>` (TOKENWARD_METRICS_TOKEN). */
  readonly metricsToken?: string | undefined;
  /** Sends the auth and audit logs to the syslog servers of `config log syslogd setting`. */
  readonly syslog?: SyslogForwarder;
  /** The login API, console and /healthz. */
  readonly http?: Listen;
  /** HTTPS on the `http` listener (`--tls-cert`, `--tls-key`). */
  readonly httpTls?: TlsFiles;
  /** RADIUS authentication (UDP). */
  readonly radius?: Listen;
  /** Told when a polling round fails (the token server or the database is away). */
  readonly onPollFailed: (error: TokenwardError) => void;
  /** Runs once the listeners are bound, before polling starts (the all-in-one's first setup). */
  readonly beforePolling?: () => Promise<void>;
}

/**
 * A running gateway node (`gateway serve` and `up`): its HTTP and RADIUS listeners, the poll
 * loop and the directory sync loop. A listener that cannot bind names its flag; what was started is stopped again.
 */
export async function startGatewayService(options: GatewayServiceOptions) {
  const { gateway, auth, log } = options;
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closeOne of closers.splice(0).reverse()) await closeOne();
  };
  try {
    let httpUrl: string | undefined;
    if (options.http !== undefined) {
      const listen = options.http;
      if (options.httpTls === undefined && !isLoopback(listen.host)) {
        log.warn({ code: 'TW_WARN_PLAINTEXT_LISTENER' }, warningCatalog.TW_WARN_PLAINTEXT_LISTENER);
      }
      const http = buildGatewayServer({
        gateway,
        log,
        auth,
        console: true,
        ...(options.httpTls === undefined ? {} : { tls: options.httpTls }),
        ...(options.metrics === undefined
          ? {}
          : { metrics: { registry: options.metrics.registry, token: options.metricsToken } }),
      });
      await bindOrExplain(() => http.listen(listen), { ...listen, flag: '--http' });
      closers.push(() => http.close());
      httpUrl = urlOf(
        listen.host,
        http.server.address(),
        options.httpTls === undefined ? 'http' : 'https',
      );
    }
    let radius: { host: string; port: number } | undefined;
    const radiusServer =
      options.radius === undefined
        ? undefined
        : createRadiusServer({
            gateway,
            auth,
            log,
            ...(options.metrics === undefined ? {} : { metrics: options.metrics }),
          });
    if (radiusServer !== undefined && options.radius !== undefined) {
      const listen = options.radius;
      radius = await bindOrExplain(() => radiusServer.listen(listen.host, listen.port), {
        ...listen,
        flag: '--radius',
        transport: 'udp',
      });
      closers.push(() => radiusServer.close());
    }
    await options.beforePolling?.();
    radiusServer?.clientsChanged();
    if (radiusServer !== undefined) await warnOfOptionalAuthenticators(gateway, log);
    const { metrics } = options;
    const poller = startPollLoop({
      gateway,
      onRoundFailed: (error) => {
        metrics?.pollRound(error.code, gateway.clock());
        options.onPollFailed(error);
      },
      ...(metrics === undefined
        ? {}
        : { onRoundDone: () => metrics.pollRound(undefined, gateway.clock()) }),
    });
    closers.push(() => poller.stop());
    const directorySync = startDirectorySyncLoop({ syncIfDue: gateway.syncDirectoryIfDue, log });
    closers.push(() => directorySync.stop());
    if (options.syslog !== undefined) {
      const syslog = startSyslogLoop({ forwarder: options.syslog, log });
      closers.push(() => syslog.stop());
    }
    return {
      httpUrl,
      radius,
      /** Stops polling and the listeners; what is in flight finishes first. */
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export type GatewayService = Awaited<ReturnType<typeof startGatewayService>>;

async function warnOfOptionalAuthenticators(gateway: Gateway, log: Logger): Promise<void> {
  for (const client of await gateway.listRadiusClients()) {
    if (client.messageAuthenticator === 'optional') {
      log.warn(
        { code: 'TW_WARN_RADIUS_MESSAGE_AUTHENTICATOR_OPTIONAL', client: client.name },
        warningCatalog.TW_WARN_RADIUS_MESSAGE_AUTHENTICATOR_OPTIONAL,
      );
    }
  }
}

export function urlOf(
  host: string,
  address: string | AddressInfo | null,
  scheme: 'http' | 'https' = 'http',
): string {
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
