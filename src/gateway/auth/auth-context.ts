import type { Logger } from 'pino';
import type { AtRestCipher } from '../../crypto/at-rest-cipher.js';
import type { GatewayStore } from '../../store/store.js';
import type { LdapDirectory } from '../directory/ldap-directory.js';
import type { GatewayMetrics } from '../gateway-metrics.js';
import type { GatewaySettings } from '../gateway-settings.js';
import type { Notifier } from '../notifier.js';
import type { ProvisionerConnection } from '../provisioner-link.js';
import type { AuthLogWriter } from './auth-log-writer.js';
import type { FirstFactor, PasswordHasher } from './first-factor.js';
import type { GroupConfig } from './group-membership.js';
import type { LoginRegulation } from './login-regulation.js';

/** What every step of a login is given (built once per node by createAuthEngine). */
export interface AuthContext {
  readonly store: GatewayStore;
  readonly cipher: AtRestCipher;
  readonly log: Logger;
  readonly notifier: Notifier;
  readonly connection: ProvisionerConnection;
  readonly settings: GatewaySettings;
  /** Epoch milliseconds. */
  readonly clock: () => number;
  /** Monotonic milliseconds, for latencies in the auth log. */
  readonly monotonic: () => number;
  /** This node's serial, written with each auth log line. */
  readonly node: string | undefined;
  /** How long a challenge waits for its answer. */
  readonly sessionMs: number;
  readonly firstFactor: FirstFactor;
  /** Password hashing behind the bounded queue (the first factor's, and rehashes). */
  readonly passwords: PasswordHasher;
  readonly regulation: LoginRegulation;
  /** The user groups (membership, reply attributes). */
  readonly groups: GroupConfig;
  /** Checks the passwords of directory users. */
  readonly directory: LdapDirectory;
  /** Where each decision's entry goes (group commit: the answer waits for it). */
  readonly authLog: AuthLogWriter;
  /** Counts each decision for /metrics (absent: not counted). */
  readonly metrics?: GatewayMetrics | undefined;
}
