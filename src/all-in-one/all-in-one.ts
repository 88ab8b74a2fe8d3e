import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { TokenwardError } from '../core/errors.js';
import { createConfiguredNotifier } from '../gateway/delivery-settings.js';
import type { Gateway } from '../gateway/gateway.js';
import { createGatewayNode } from '../gateway/gateway-node.js';
import type { Notifier } from '../gateway/notifier.js';
import { type Listen, startGatewayService, urlOf } from '../gateway/service.js';
import { bindOrExplain } from '../http/listen-error.js';
import type { TlsFiles } from '../http/tls-files.js';
import { buildProvisionerServer } from '../provisioner/http/server.js';
import { createProvisioner, type Provisioner } from '../provisioner/provisioner.js';
import { openSealedStore } from '../store/open-sealed-store.js';

/** The gateway node `up` runs, enrolled at its own provisioner. */
export const ALL_IN_ONE_GATEWAY = 'TWGATEWAY0000001';
const LOCAL_RADIUS_CLIENT = 'localhost';

export type { Listen } from '../gateway/service.js';

export interface AllInOneOptions {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly masterKeyFromEnvironment?: string | undefined;
  readonly provisioner: Listen;
  readonly http: Listen;
  /** HTTPS for the console and the login API (`--tls-cert`, `--tls-key`). */
  readonly httpTls?: TlsFiles;
  readonly radius: Listen;
  readonly log: Logger;
  /** Replaces the configured mail server and SMS webhook (the demo brings its own). */
  readonly notifier?: Notifier;
  /** Told when a polling round fails (the token server did not answer). */
  readonly onPollFailed?: (error: TokenwardError) => void;
  /** When set, the gateway's /metrics needs `Authorization: Bearer <token>`. */
  readonly metricsToken?: string | undefined;
}

/** What the first start set up: shown once, kept only hashed or encrypted. */
export interface FirstRun {
  readonly adminUser: string;
  readonly adminPassword: string;
  readonly radiusSecret: string;
  readonly tokens: readonly string[];
}

/**
 * Everything in one process (`tokenward up`): the provisioner, a gateway enrolled to it with the
 * trial licence imported, RADIUS, the HTTP login API and console, on one database. The first
 * start sets these up; later starts find them and carry on.
 */
export async function startAllInOne(options: AllInOneOptions) {
  const { log } = options;
  const { store, cipher } = await openSealedStore({
    dataDir: options.dataDir,
    fromEnvironment: options.masterKeyFromEnvironment,
    databaseUrl: options.databaseUrl,
    now: Date.now(),
  });
  const closers: (() => Promise<void>)[] = [() => store.close()];
  const close = async () => {
    for (const closeOne of closers.splice(0).reverse()) await closeOne();
  };
  try {
    const provisioner = createProvisioner({ store, cipher, log });
    const provisionerApp = buildProvisionerServer({ provisioner, log });
    await bindOrExplain(() => provisionerApp.listen(options.provisioner), {
      ...options.provisioner,
      flag: '--listen',
    });
    closers.push(() => provisionerApp.close());
    const provisionerUrl = urlOf(options.provisioner.host, provisionerApp.server.address());
    const node = createGatewayNode({
      store,
      cipher,
      log,
      notifier: options.notifier ?? createConfiguredNotifier(store, cipher),
      serial: ALL_IN_ONE_GATEWAY,
      provisionerUrl,
    });
    let firstRun: FirstRun | undefined;
    const service = await startGatewayService({
      gateway: node.gateway,
      auth: node.auth,
      log,
      metrics: node.metrics,
      syslog: node.syslog,
      metricsToken: options.metricsToken,
      http: options.http,
      ...(options.httpTls === undefined ? {} : { httpTls: options.httpTls }),
      radius: options.radius,
      onPollFailed:
        options.onPollFailed ?? ((error) => log.warn({ code: error.code }, error.message)),
      // Only once every listener is bound: a start that fails on a port must not make (and so
      // lose) the admin password and RADIUS secret it would have shown.
      beforePolling: async () => {
        firstRun = await setUpOnce(provisioner, node.gateway, provisionerUrl);
      },
    });
    closers.push(service.close);
    return {
      provisioner,
      gateway: node.gateway,
      auth: node.auth,
      provisionerUrl,
      httpUrl: service.httpUrl ?? '',
      radius: service.radius ?? options.radius,
      firstRun,
      /** Stops taking work, lets what is in flight finish, closes the database. */
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

export type AllInOne = Awaited<ReturnType<typeof startAllInOne>>;

/**
 * The first start's setup, each step only if not done before (so a start that failed half-way
 * finishes the setup next time): gateway enrolled, trial licence imported, console admin and a
 * RADIUS client for 127.0.0.1 created with generated secrets.
 */
async function setUpOnce(
  provisioner: Provisioner,
  gateway: Gateway,
  provisionerUrl: string,
): Promise<FirstRun | undefined> {
  const now = Date.now();
  if (!(await gateway.isEnrolled(ALL_IN_ONE_GATEWAY))) {
    // A gateway row without this node's credential is from a start that failed half-way.
    if ((await provisioner.admin.listGateways()).some((g) => g.serial === ALL_IN_ONE_GATEWAY)) {
      await provisioner.admin.removeGateway(ALL_IN_ONE_GATEWAY, now);
    }
    const added = await provisioner.admin.addGateway({ serial: ALL_IN_ONE_GATEWAY }, now);
    await gateway.enroll({ provisionerUrl, serial: added.serial, secret: added.secret });
  }
  let tokens: readonly string[] = [];
  if ((await gateway.listTokens()).length === 0) {
    tokens = (await gateway.importLicence('0000-0000-0000-0000-0000')).serials;
  }
  if (await gateway.consoleAdminExists()) return undefined;

  const adminPassword = typeableSecret(12);
  const radiusSecret = typeableSecret(18);
  await gateway.saveRadiusClient({
    name: LOCAL_RADIUS_CLIENT,
    address: '127.0.0.1',
    secret: radiusSecret,
  });
  // Written last: its presence means the setup is complete.
  await gateway.saveConsoleAdmin({ name: 'admin', password: adminPassword, role: 'super' });
  return { adminUser: 'admin', adminPassword, radiusSecret, tokens };
}

/**
 * `bytes` random bytes in base64url that start with a letter or digit: a secret starting with
 * `-` is taken for an option by the tools it is pasted into (radclient, a NAS's CLI).
 */
function typeableSecret(bytes: number): string {
  for (;;) {
    const secret = randomBytes(bytes).toString('base64url');
    if (/^[A-Za-z0-9]/.test(secret)) return secret;
  }
}
