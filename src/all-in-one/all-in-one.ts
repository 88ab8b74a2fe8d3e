import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { TokenwardError } from '../core/errors.js';
import type { createAtRestCipher } from '../crypto/at-rest-cipher.js';
import { hashPassword } from '../crypto/password-hash.js';
import { CONSOLE_ADMIN_KEY } from '../gateway/console/console-sign-in.js';
import { createConfiguredNotifier } from '../gateway/delivery-settings.js';
import type { Gateway } from '../gateway/gateway.js';
import { createGatewayNode } from '../gateway/gateway-node.js';
import { buildGatewayServer } from '../gateway/http/server.js';
import type { Notifier } from '../gateway/notifier.js';
import { startPollLoop } from '../gateway/poll-loop.js';
import { newRadiusClient } from '../gateway/radius/new-radius-client.js';
import { createRadiusServer } from '../gateway/radius/radius-server.js';
import { bindOrExplain } from '../http/listen-error.js';
import { buildProvisionerServer } from '../provisioner/http/server.js';
import { createProvisioner } from '../provisioner/provisioner.js';
import { openSealedStore } from '../store/open-sealed-store.js';
import type { Store } from '../store/store.js';

/** The gateway node `up` runs, enrolled at its own provisioner. */
export const ALL_IN_ONE_GATEWAY = 'TWGATEWAY0000001';
const LOCAL_RADIUS_CLIENT = 'localhost';

export interface Listen {
  readonly host: string;
  readonly port: number;
}

export interface AllInOneOptions {
  readonly dataDir: string;
  readonly databaseUrl: string;
  readonly masterKeyFromEnvironment?: string | undefined;
  readonly provisioner: Listen;
  readonly http: Listen;
  readonly radius: Listen;
  readonly log: Logger;
  /** Replaces the configured mail server and SMS webhook (the demo brings its own). */
  readonly notifier?: Notifier;
  /** Told when a polling round fails (the token server did not answer). */
  readonly onPollFailed?: (error: TokenwardError) => void;
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

    const notifier = options.notifier ?? createConfiguredNotifier(store, cipher);
    const { gateway, auth } = createGatewayNode({
      store,
      cipher,
      log,
      notifier,
      serial: ALL_IN_ONE_GATEWAY,
      provisionerUrl,
    });
    const http = buildGatewayServer({ store, log, auth, console: { store, cipher, gateway } });
    await bindOrExplain(() => http.listen(options.http), { ...options.http, flag: '--http' });
    closers.push(() => http.close());

    const radius = createRadiusServer({ store, cipher, auth, log });
    const radiusAddress = await bindOrExplain(
      () => radius.listen(options.radius.host, options.radius.port),
      { ...options.radius, flag: '--radius', transport: 'udp' },
    );
    closers.push(() => radius.close());

    // Only once every listener is bound: a start that fails on a port must not make (and so
    // lose) the admin password and RADIUS secret it would have shown.
    const firstRun = await setUpOnce(store, cipher, provisioner, gateway, provisionerUrl);
    radius.clientsChanged();

    const poller = startPollLoop({
      gateway,
      auth,
      onRoundFailed:
        options.onPollFailed ?? ((error) => log.warn({ code: error.code }, error.message)),
    });
    closers.push(() => poller.stop());

    return {
      store,
      cipher,
      provisioner,
      gateway,
      auth,
      provisionerUrl,
      httpUrl: urlOf(options.http.host, http.server.address()),
      radius: radiusAddress,
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
  store: Store,
  cipher: ReturnType<typeof createAtRestCipher>,
  provisioner: ReturnType<typeof createProvisioner>,
  gateway: Gateway,
  provisionerUrl: string,
): Promise<FirstRun | undefined> {
  const now = Date.now();
  if ((await store.settings.get(`gateway.credential.${ALL_IN_ONE_GATEWAY}`)) === undefined) {
    if ((await store.gateways.find(ALL_IN_ONE_GATEWAY)) !== undefined) {
      await provisioner.admin.removeGateway(ALL_IN_ONE_GATEWAY, now);
    }
    const added = await provisioner.admin.addGateway({ serial: ALL_IN_ONE_GATEWAY }, now);
    await gateway.enroll({ provisionerUrl, serial: added.serial, secret: added.secret });
  }
  let tokens: readonly string[] = [];
  if ((await store.fortitokens.list()).length === 0) {
    tokens = (await gateway.importLicence('0000-0000-0000-0000-0000')).serials;
  }
  if ((await store.settings.get(CONSOLE_ADMIN_KEY)) !== undefined) return undefined;

  const adminPassword = typeableSecret(12);
  const radiusSecret = typeableSecret(18);
  await store.radiusClients.remove(LOCAL_RADIUS_CLIENT);
  await store.radiusClients.add(
    newRadiusClient(
      { name: LOCAL_RADIUS_CLIENT, address: '127.0.0.1', secret: radiusSecret },
      cipher,
      now,
    ),
  );
  // Written last: its presence means the setup is complete.
  await store.settings.set(
    CONSOLE_ADMIN_KEY,
    { name: 'admin', passwordHash: await hashPassword(adminPassword) },
    now,
  );
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

function urlOf(host: string, address: string | AddressInfo | null): string {
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
}
