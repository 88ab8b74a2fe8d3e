import { type Kysely, sql } from 'kysely';
import { TokenwardError } from '../core/errors.js';
import { type DatabaseEngine, type OpenDatabaseOptions, openDatabase } from './database.js';
import { migrateToLatest } from './migrate.js';
import { createActivationCodeRepository } from './repositories/activation-code-repository.js';
import { createAttemptRepository } from './repositories/attempt-repository.js';
import { createAuditLogRepository } from './repositories/audit-log-repository.js';
import { createAuthLogRepository } from './repositories/auth-log-repository.js';
import { createAuthSessionRepository } from './repositories/auth-session-repository.js';
import { createClusterRepository } from './repositories/cluster-repository.js';
import { createConsoleAdminRepository } from './repositories/console-admin-repository.js';
import { createDeviceRepository } from './repositories/device-repository.js';
import { createFortitokenRepository } from './repositories/fortitoken-repository.js';
import { createGatewayRepository } from './repositories/gateway-repository.js';
import { createLdapServerRepository } from './repositories/ldap-server-repository.js';
import { createLicenceRepository } from './repositories/licence-repository.js';
import { createPushRepository } from './repositories/push-repository.js';
import { createRadiusClientRepository } from './repositories/radius-client-repository.js';
import { createRequestNonceRepository } from './repositories/request-nonce-repository.js';
import { createSealedValueRepository } from './repositories/sealed-value-repository.js';
import { createSettingRepository } from './repositories/setting-repository.js';
import { createTokenRepository } from './repositories/token-repository.js';
import { createUserGroupRepository } from './repositories/user-group-repository.js';
import { createUserRepository } from './repositories/user-repository.js';
import type { Database } from './schema.js';

function createRepositories(db: Kysely<Database>) {
  return {
    clusters: createClusterRepository(db),
    gateways: createGatewayRepository(db),
    licences: createLicenceRepository(db),
    tokens: createTokenRepository(db),
    activationCodes: createActivationCodeRepository(db),
    devices: createDeviceRepository(db),
    pushes: createPushRepository(db),
    users: createUserRepository(db),
    fortitokens: createFortitokenRepository(db),
    radiusClients: createRadiusClientRepository(db),
    ldapServers: createLdapServerRepository(db),
    userGroups: createUserGroupRepository(db),
    settings: createSettingRepository(db),
    auditLog: createAuditLogRepository(db),
    authSessions: createAuthSessionRepository(db),
    authLog: createAuthLogRepository(db),
    requestNonces: createRequestNonceRepository(db),
    attempts: createAttemptRepository(db),
    consoleAdmins: createConsoleAdminRepository(db),
    /** Any sealed column, for the master key's rotation and check (not a role's slice). */
    sealedValues: createSealedValueRepository(db),
  };
}

/** Every repository, bound to the database or to one transaction. */
export type Repositories = ReturnType<typeof createRepositories>;

/**
 * A store that offers only the repositories `R` (a role's slice): the compiler keeps a role to
 * its own tables, as kysely declares only the driver surface it uses.
 */
export type StoreOf<R> = R & {
  readonly engine: DatabaseEngine;
  /** Runs `work` in one transaction: every change it makes lands, or none does. */
  transaction<T>(work: (repositories: R) => Promise<T>): Promise<T>;
  /** Resolves true when the database answers a trivial query, false otherwise. */
  ping(): Promise<boolean>;
  /**
   * For health checks: `ok` when a write commits (a full disk or a read-only database fails
   * logins closed, so reading alone is not health), `read-only` when only reads work.
   */
  health(now: number): Promise<'ok' | 'read-only' | 'unreachable'>;
  close(): Promise<void>;
};

export type Store = StoreOf<Repositories> & {
  /**
   * A consistent copy of the whole SQLite database in the new file `path`, taken while others
   * read and write (`VACUUM INTO`); PostgreSQL is copied with pg_dump (docs/operations.md).
   */
  snapshotTo(path: string): Promise<void>;
};

/** The gateway's tables (the FortiGate role): users, its tokens, logins, its settings. */
export type GatewayRepositories = Pick<
  Repositories,
  | 'users'
  | 'fortitokens'
  | 'radiusClients'
  | 'ldapServers'
  | 'userGroups'
  | 'settings'
  | 'auditLog'
  | 'authSessions'
  | 'authLog'
  | 'attempts'
  | 'consoleAdmins'
>;
export type GatewayStore = StoreOf<GatewayRepositories>;

/** The provisioner's tables (the FortiGuard role): gateways, licences, seeds, phones, pushes. */
export type ProvisionerRepositories = Pick<
  Repositories,
  | 'clusters'
  | 'gateways'
  | 'licences'
  | 'tokens'
  | 'activationCodes'
  | 'devices'
  | 'pushes'
  | 'auditLog'
  | 'requestNonces'
  | 'attempts'
  | 'settings'
>;
export type ProvisionerStore = StoreOf<ProvisionerRepositories>;

export interface CreateStoreOptions extends OpenDatabaseOptions {
  /** Bring the schema up to date first (default). Off only where another opener already did. */
  readonly migrate?: boolean;
}

/** Opens the database a URL names and brings its schema up to date. */
export async function createStore(url: string, options: CreateStoreOptions = {}): Promise<Store> {
  const { engine, db } = openDatabase(url, options);
  if (options.migrate !== false) {
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  const ping = () =>
    sql`select 1`.execute(db).then(
      () => true,
      () => false,
    );
  return {
    engine,
    ...createRepositories(db),
    transaction: (work) => db.transaction().execute((trx) => work(createRepositories(trx))),
    ping,
    async health(now) {
      if (!(await ping())) return 'unreachable';
      const settings = createSettingRepository(db);
      return settings.set('store.health-probe', now, now).then(
        () => 'ok' as const,
        () => 'read-only' as const,
      );
    },
    async snapshotTo(path) {
      if (engine !== 'sqlite') throw new TokenwardError('TW_BACKUP_ENGINE_UNSUPPORTED');
      await sql`vacuum into ${path}`.execute(db);
    },
    close: () => db.destroy(),
  };
}
