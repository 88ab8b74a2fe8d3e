import type { Logger } from 'pino';
import { openSealedStore } from '../store/open-sealed-store.js';
import { createAuthEngine } from './auth/auth-engine.js';
import type { PasswordHasher } from './auth/first-factor.js';
import { createConfiguredNotifier } from './delivery-settings.js';
import { createGateway, createGatewayContext, type GatewayDependencies } from './gateway.js';
import { createGatewayMetrics } from './gateway-metrics.js';
import { metricsGauges } from './metrics-gauges.js';
import type { Notifier } from './notifier.js';
import { createSyslogForwarder } from './syslog/syslog-forwarder.js';

/**
 * One gateway node: its management side and its auth engine, sharing the store, the clock, the
 * settings cache and the way to the provisioner (pushes go where polls go).
 */
export function createGatewayNode(deps: GatewayDependencies & { passwords?: PasswordHasher }) {
  const context = createGatewayContext(deps);
  const gateway = createGateway({ context });
  const metrics = createGatewayMetrics(metricsGauges(context));
  const syslog = createSyslogForwarder(context, { node: deps.serial ?? null, metrics });
  const auth = createAuthEngine({
    ...context,
    node: deps.serial,
    passwords: deps.passwords,
    metrics,
  });
  return { gateway, auth, metrics, syslog };
}

export interface OpenGatewayNodeOptions {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly masterKeyFromEnvironment?: string | undefined;
  readonly log: Logger;
  readonly serial?: string | undefined;
  readonly provisionerUrl?: string | undefined;
  /** Replaces the configured mail server and SMS webhook. */
  readonly notifier?: Notifier;
}

/**
 * Opens the sealed store of a data directory and makes a gateway node on it: what a command
 * or a service runs on. `close` closes the store.
 */
export async function openGatewayNode(options: OpenGatewayNodeOptions) {
  const { store, cipher } = await openSealedStore({
    dataDir: options.dataDir,
    fromEnvironment: options.masterKeyFromEnvironment,
    databaseUrl: options.databaseUrl,
    now: Date.now(),
  });
  const node = createGatewayNode({
    store,
    cipher,
    log: options.log,
    notifier: options.notifier ?? createConfiguredNotifier(store, cipher),
    serial: options.serial,
    provisionerUrl: options.provisionerUrl,
  });
  return { ...node, close: () => store.close() };
}
