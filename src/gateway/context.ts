import type { Logger } from 'pino';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { GatewayRepositories, GatewayStore } from '../store/store.js';
import type { LdapDirectory } from './directory/ldap-directory.js';
import type { GatewaySettings } from './gateway-settings.js';
import type { Notifier } from './notifier.js';
import type { ProvisionerConnection } from './provisioner-link.js';

/** What every gateway use case is given (built once per node by createGatewayContext). */
export interface GatewayContext {
  readonly store: GatewayStore;
  readonly cipher: AtRestCipher;
  readonly log: Logger;
  /** Epoch milliseconds. */
  readonly clock: () => number;
  readonly notifier: Notifier;
  /** This node's way to the provisioner (polls and pushes go the same way). */
  readonly connection: ProvisionerConnection;
  /** The FortiOS single-valued settings, cached briefly, written validated. */
  readonly settings: GatewaySettings;
  /** LDAP servers' hosts with their back-off state: shared by logins and `ldap test`. */
  readonly directory: LdapDirectory;
  /** Who the audit log names for changes: `admin` (CLI, config import) or `console:<name>`. */
  readonly actor: string;
}

/** Appends one audit entry (never with a secret in `detail`). */
export function audit(
  repositories: Pick<GatewayRepositories, 'auditLog'>,
  entry: {
    readonly actor: string;
    readonly action: string;
    readonly subject: string | null;
    readonly outcome?: 'success' | 'failure';
    readonly detail?: Record<string, unknown>;
  },
  now: number,
): Promise<void> {
  return repositories.auditLog.append({
    at: now,
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    outcome: entry.outcome ?? 'success',
    ...(entry.detail === undefined ? {} : { detail: entry.detail }),
  });
}

/** The actor of changes made through the CLI or config import. */
export const ADMIN = 'admin';
