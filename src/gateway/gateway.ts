import type { Logger } from 'pino';
import type { TokenState } from '../core/token-state.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { AuditQuery } from '../store/repositories/audit-log-repository.js';
import type { AuthLogQuery } from '../store/repositories/auth-log-repository.js';
import type { Fortitoken } from '../store/repositories/fortitoken-repository.js';
import type { TokenSearch } from '../store/repositories/token-search.js';
import type { GatewayStore } from '../store/store.js';
import { type BulkUserAction, bulkUsers } from './bulk-users.js';
import { importConfig } from './config-import.js';
import { configSections } from './config-show.js';
import {
  type ConsoleAdminInput,
  confirmConsoleSignIn,
  consoleAdminExists,
  findConsoleAdmin,
  listConsoleAdmins,
  removeConsoleAdmin,
  saveConsoleAdmin,
  signInConsoleAdmin,
} from './console-admins.js';
import { changeConsoleSettings, consoleSettings } from './console-settings.js';
import { ADMIN, type GatewayContext } from './context.js';
import {
  type MailServerInput,
  setMailServer,
  setSmsWebhook,
  showDeliverySettings,
  testDelivery,
} from './delivery-settings.js';
import { deskActivation } from './desk-activation.js';
import { diagnoseTokens } from './diagnose.js';
import { createLdapDirectory, type LdapDirectory } from './directory/ldap-directory.js';
import { syncDirectoryIfDue, syncDirectoryNow } from './directory-sync-schedule.js';
import { type EnrolmentInput, enrollGateway, isEnrolled } from './enrolment.js';
import { findUsers, type UserQuery } from './find-users.js';
import {
  createGatewaySettings,
  type GatewaySettings,
  type SettingChange,
} from './gateway-settings.js';
import { importUsers } from './import-users.js';
import {
  listLdapServers,
  removeLdapServer,
  saveLdapServer,
  testLdapServer,
} from './ldap-servers.js';
import { importLicence } from './licence-import.js';
import { auditPage, authLogPage } from './log-pages.js';
import { loginStats } from './login-stats.js';
import type { LdapServerInput } from './new-ldap-server.js';
import type { RadiusClientInput } from './new-radius-client.js';
import type { Notifier } from './notifier.js';
import { gatewayOverview } from './overview.js';
import { createProvisionerConnection, type ProvisionerConnection } from './provisioner-link.js';
import {
  listRadiusClients,
  radiusClientsWithSecrets,
  removeRadiusClient,
  saveRadiusClient,
} from './radius-clients.js';
import { listAuthLog, sweepRecords } from './records.js';
import { changeSettings } from './settings-change.js';
import { setupChecklist } from './setup-checklist.js';
import {
  provisionToken,
  resendActivation,
  revealActivationCode,
  spentActivationCode,
} from './token-activation.js';
import { listTokens, revokeToken, setTokenStatus, showToken } from './token-admin.js';
import { type PollOptions, pollTokens } from './token-polling.js';
import { userDetail } from './user-detail.js';
import {
  listUserGroups,
  removeUserGroup,
  saveUserGroup,
  type UserGroupInput,
} from './user-groups.js';
import {
  addUser,
  deleteUser,
  listUsers,
  type NewUser,
  setUser,
  setUserPassword,
  showUser,
  type UserChange,
  unlockUser,
} from './users.js';

export type { NewUser } from './users.js';

export interface GatewayDependencies {
  readonly store: GatewayStore;
  readonly cipher: AtRestCipher;
  readonly log: Logger;
  readonly notifier: Notifier;
  readonly clock?: () => number;
  /** This node's serial, when several gateway nodes share the database. */
  readonly serial?: string | undefined;
  /** Overrides the enrolled provisioner URL (the provisioner moved). */
  readonly provisionerUrl?: string | undefined;
  /** Shared with the auth engine of the same node; made from the above when absent. */
  readonly connection?: ProvisionerConnection;
  /** Shared with the auth engine of the same node; made when absent. */
  readonly settings?: GatewaySettings;
  /** Shared with the auth engine of the same node; made when absent. */
  readonly directory?: LdapDirectory;
}

/** The context every use case of one node shares. */
export function createGatewayContext(deps: GatewayDependencies): GatewayContext {
  const clock = deps.clock ?? Date.now;
  return {
    store: deps.store,
    cipher: deps.cipher,
    log: deps.log,
    clock,
    notifier: deps.notifier,
    connection:
      deps.connection ??
      createProvisionerConnection({
        store: deps.store,
        cipher: deps.cipher,
        clock,
        serial: deps.serial,
        provisionerUrl: deps.provisionerUrl,
      }),
    settings: deps.settings ?? createGatewaySettings(deps.store),
    directory: deps.directory ?? createLdapDirectory({ log: deps.log, clock }),
    actor: ADMIN,
  };
}

/**
 * The gateway's management side (the FortiGate role), composed of its use cases: the link to
 * the provisioner, licences, users, tokens and their activation, polling, RADIUS clients,
 * settings and the console admin. Logins are the auth engine's. Each method is one use case
 * at the clock's `now`.
 */
export function createGateway(deps: GatewayDependencies | { readonly context: GatewayContext }) {
  const ctx = 'context' in deps ? deps.context : createGatewayContext(deps);
  const now = ctx.clock;
  return {
    /** This node's way to the provisioner (the auth engine relays pushes through it). */
    connection: ctx.connection,
    /** The node's clock (epoch milliseconds), for interfaces that time sessions. */
    clock: ctx.clock,

    enroll: (input: EnrolmentInput) => enrollGateway(ctx, input, now()),
    isEnrolled: (serial: string) => isEnrolled(ctx, serial),
    importLicence: (code: string) => importLicence(ctx, code, now()),

    addUser: (input: NewUser) => addUser(ctx, input, now()),
    setUser: (name: string, change: UserChange) => setUser(ctx, name, change, now()),
    showUser: (name: string) => showUser(ctx, name),
    listUsers: () => listUsers(ctx),
    setUserPassword: (name: string, password: string) =>
      setUserPassword(ctx, name, password, now()),
    /** A user's page: the user, their token, groups and last logins. */
    userDetail: (name: string) => userDetail(ctx, name, now()),
    bulkUsers: (action: BulkUserAction, names: readonly string[]) =>
      bulkUsers(ctx, action, names, now()),
    /** Checks a CSV file of users (a preview) or, with `commit`, adds them all. */
    importUsers: (input: { csv: string; commit: boolean }) => importUsers(ctx, input, now()),
    /** One page of the console's users table. */
    findUsers: (query: UserQuery) => findUsers(ctx, query, now()),
    deleteUser: (name: string) => deleteUser(ctx, name, now()),
    unlockUser: (name: string) => unlockUser(ctx, name, now()),

    listTokens: (state?: TokenState) => listTokens(ctx, state),
    /** One page of the console's tokens table, each with its holder. */
    findTokens: (query: TokenSearch) => ctx.store.fortitokens.search(query),
    showToken: (serial: string) => showToken(ctx, serial),
    setTokenStatus: (serial: string, status: 'active' | 'lock') =>
      setTokenStatus(ctx, serial, status, now()),
    provisionToken: (serial: string, expireHours?: number) =>
      provisionToken(ctx, serial, now(), expireHours === undefined ? {} : { expireHours }),
    resendActivation: (serial: string) => resendActivation(ctx, serial, now()),
    /** Re-issues a token active on a phone: that phone's token stops working. Audited. */
    reprovisionToken: (serial: string, expireHours?: number) =>
      provisionToken(ctx, serial, now(), {
        reprovision: true,
        ...(expireHours === undefined ? {} : { expireHours }),
      }),
    revokeToken: (serial: string) => revokeToken(ctx, serial, now()),
    revealActivationCode: (serial: string, actor: string) =>
      revealActivationCode(ctx, serial, actor, now()),
    /** The live activation as code and QR, on the admin's screen (audited). */
    deskActivation: (serial: string) => deskActivation(ctx, serial, now()),
    spentActivationCode: (token: Fortitoken) => spentActivationCode(ctx, token),

    poll: (options: PollOptions = {}) => pollTokens(ctx, options, now()),
    sweepRecords: () => sweepRecords(ctx, now()),
    diagnose: (serial?: string) => diagnoseTokens(ctx, serial),
    overview: () => gatewayOverview(ctx),
    listAuthLog: (filter: Parameters<typeof listAuthLog>[1]) => listAuthLog(ctx, filter),
    authLogPage: (query: AuthLogQuery) => authLogPage(ctx, query),
    auditPage: (query: AuditQuery) => auditPage(ctx, query),
    /** Logins per hour over the last `hours`, and the most rejected users and sources. */
    loginStats: (hours: number) => loginStats(ctx, hours, now()),
    setupChecklist: (adminName: string) => setupChecklist(ctx, adminName),

    saveRadiusClient: (input: RadiusClientInput) => saveRadiusClient(ctx, input, now()),
    listRadiusClients: () => listRadiusClients(ctx),
    removeRadiusClient: (name: string) => removeRadiusClient(ctx, name, now()),
    radiusClientsWithSecrets: () => radiusClientsWithSecrets(ctx),

    saveUserGroup: (input: UserGroupInput) => saveUserGroup(ctx, input, now()),
    listUserGroups: () => listUserGroups(ctx),
    removeUserGroup: (name: string) => removeUserGroup(ctx, name, now()),

    saveLdapServer: (input: LdapServerInput) => saveLdapServer(ctx, input, now()),
    listLdapServers: () => listLdapServers(ctx),
    removeLdapServer: (name: string) => removeLdapServer(ctx, name, now()),
    testLdapServer: (name: string, probe?: { username: string; password: string }) =>
      testLdapServer(ctx, name, probe),
    /** Syncs the auto-enrol groups now (`gateway ldap sync`). */
    syncDirectory: (options: { confirmRemovals?: boolean } = {}) =>
      syncDirectoryNow(ctx, now(), options.confirmRemovals === true),
    /** The background loop's sync: only when the interval has passed, one node per interval. */
    syncDirectoryIfDue: () => syncDirectoryIfDue(ctx, now()),
    /** The configuration's version: what the RADIUS listener keys its cached clients on. */
    configVersion: () => ctx.settings.version(),

    policy: () => ctx.settings.policy(),
    changeSettings: (changes: readonly SettingChange[]) => changeSettings(ctx, changes, now()),
    consoleSettings: () => consoleSettings(ctx),
    changeConsoleSettings: (
      changes: readonly { path: string; name: string; value: number | string }[],
    ) => changeConsoleSettings(ctx, changes, now()),
    setMailServer: (input: MailServerInput) => setMailServer(ctx, input, now()),
    setSmsWebhook: (webhook: string) => setSmsWebhook(ctx, webhook, now()),
    showDeliverySettings: () => showDeliverySettings(ctx),
    testDelivery: (input: Parameters<typeof testDelivery>[1]) => testDelivery(ctx, input, now()),
    configSections: (section?: string) => configSections(ctx, section),
    importConfig: (text: string) => importConfig(ctx, text, now()),

    saveConsoleAdmin: (input: ConsoleAdminInput) => saveConsoleAdmin(ctx, input, now()),
    removeConsoleAdmin: (name: string) => removeConsoleAdmin(ctx, name, now()),
    listConsoleAdmins: () => listConsoleAdmins(ctx),
    findConsoleAdmin: (name: string) => findConsoleAdmin(ctx, name),
    consoleAdminExists: () => consoleAdminExists(ctx),
    signInConsoleAdmin: (input: Parameters<typeof signInConsoleAdmin>[1]) =>
      signInConsoleAdmin(ctx, input, now()),
    confirmConsoleSignIn: (input: Parameters<typeof confirmConsoleSignIn>[1]) =>
      confirmConsoleSignIn(ctx, input, now()),
    /** The same use cases with changes audited as made by console admin `name`. */
    asConsoleAdmin: (name: string) =>
      createGateway({ context: { ...ctx, actor: `console:${name}` } }),

    /** For /healthz: whether the database answers and takes writes, and the token server. */
    async health() {
      const store = await ctx.store.health(now());
      return {
        store,
        tokenServer: store === 'ok' ? await ctx.connection.lastStatus() : undefined,
      };
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;
