import type { Logger } from 'pino';
import { warningCatalog } from '../core/warnings.js';
import { bindOrExplain } from '../http/listen-error.js';
import { isLoopback, loadTlsFiles } from '../http/tls-files.js';
import { openSealedStore } from '../store/open-sealed-store.js';
import type { Store } from '../store/store.js';
import { buildProvisionerServer } from './http/server.js';
import { createProvisioner, type Provisioner } from './provisioner.js';
import { parseWebPushSubject } from './web-push.js';

export interface ProvisionerServiceOptions {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  readonly tlsCertFile?: string;
  readonly tlsKeyFile?: string;
  readonly log: Logger;
  readonly masterKeyFromEnvironment?: string | undefined;
  /** The VAPID contact push services see (a mailto: or https: URL). */
  readonly webPushSubject?: string | undefined;
}

export interface RunningProvisioner {
  readonly url: string;
  readonly provisioner: Provisioner;
  readonly store: Store;
  close(): Promise<void>;
}

/** Opens the store (migrating it), loads the master key and serves the provisioner. */
export async function startProvisionerService(
  options: ProvisionerServiceOptions,
): Promise<RunningProvisioner> {
  const { log } = options;
  const { store, cipher } = await openSealedStore({
    dataDir: options.dataDir,
    fromEnvironment: options.masterKeyFromEnvironment,
    databaseUrl: options.databaseUrl,
    now: Date.now(),
  });
  try {
    const provisioner = createProvisioner({
      store,
      cipher,
      log,
      ...(options.webPushSubject === undefined
        ? {}
        : { webPush: { subject: parseWebPushSubject(options.webPushSubject) } }),
    });
    const tls = await loadTlsFiles({ certFile: options.tlsCertFile, keyFile: options.tlsKeyFile });
    const app = buildProvisionerServer({ provisioner, log, ...(tls === undefined ? {} : { tls }) });
    if (tls === undefined && !isLoopback(options.host)) {
      log.warn({ code: 'TW_WARN_PLAINTEXT_LISTENER' }, warningCatalog.TW_WARN_PLAINTEXT_LISTENER);
    }
    await bindOrExplain(() => app.listen({ host: options.host, port: options.port }), {
      host: options.host,
      port: options.port,
      flag: '--listen',
    });
    const address = app.server.address();
    const port = typeof address === 'object' && address !== null ? address.port : options.port;
    const host = options.host.includes(':') ? `[${options.host}]` : options.host;
    return {
      url: `${tls === undefined ? 'http' : 'https'}://${host}:${port}`,
      provisioner,
      store,
      async close() {
        await app.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}

/** Opens the sealed store of a data directory for the operator's commands (`provisioner ...`). */
export async function openProvisionerAdmin(options: {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly masterKeyFromEnvironment?: string | undefined;
  readonly log: Logger;
}) {
  const { store, cipher } = await openSealedStore({
    dataDir: options.dataDir,
    fromEnvironment: options.masterKeyFromEnvironment,
    databaseUrl: options.databaseUrl,
    now: Date.now(),
  });
  const { admin } = createProvisioner({ store, cipher, log: options.log });
  return { admin, close: () => store.close() };
}
