import type { ActivationCodeKind } from '../core/activation-code.js';
import type { ConsoleRole } from '../core/console-role.js';
import type { LicenceKind } from '../core/licence.js';
import type { AuthMethod, AuthResult, FrontEnd, OtpMode, TwoFactor } from '../core/login-terms.js';
import type { OtpAlgorithm, OtpDigits, OtpPeriod } from '../core/otp-parameters.js';
import type { TokenState, UnlockedTokenState } from '../core/token-state.js';

/**
 * The database as Kysely sees it (camelCase here, snake_case in SQL through CamelCasePlugin).
 * Times are epoch milliseconds in BIGINT columns. Secrets are never stored in clear: `*Enc`
 * columns hold at-rest ciphertext (src/crypto/at-rest-cipher.ts), `*Hash` columns digests.
 * The provisioner's tables and the gateway's live side by side so `tokenward up` can use one file;
 * in a split deployment each role simply leaves the other's tables empty.
 */
export interface Database {
  clusters: ClustersTable;
  gateways: GatewaysTable;
  licences: LicencesTable;
  tokens: TokensTable;
  activationCodes: ActivationCodesTable;
  devices: DevicesTable;
  pushes: PushesTable;
  users: UsersTable;
  fortitokens: FortitokensTable;
  radiusClients: RadiusClientsTable;
  ldapServers: LdapServersTable;
  userGroups: UserGroupsTable;
  settings: SettingsTable;
  auditLog: AuditLogTable;
  authSessions: AuthSessionsTable;
  authLog: AuthLogTable;
  requestNonces: RequestNoncesTable;
  attempts: AttemptsTable;
  consoleAdmins: ConsoleAdminsTable;
}

// --- provisioner ---------------------------------------------------------------------------

/** Failed attempts of one key (`login-source:<ip>`, `console-admin:<name>`, ...). */
export interface AttemptsTable {
  key: string;
  failures: number;
  lastAt: number;
}

/** A signed request's nonce (scoped by signer), kept until the request's window has passed. */
export interface RequestNoncesTable {
  nonce: string;
  expiresAt: number;
}

export interface ClustersTable {
  id: string;
  name: string;
  createdAt: number;
  /** Set once, by the one import of the trial code this cluster may make. */
  trialClaimedAt: number | null;
}

export interface GatewaysTable {
  serial: string;
  clusterId: string;
  /**
   * SHA-256 of the enrolment secret, encrypted at rest. Secrets are longer than SHA-256's 64-byte
   * block, so HMAC keys with their hash (RFC 2104 section 2) and this verifies signatures made
   * with the secret itself; the secret is shown once and never stored.
   */
  secretHashEnc: string;
  /** Raw X25519 public key, base64; seeds for this gateway are sealed to it. */
  sealingKey: string | null;
  createdAt: number;
  lastSeenAt: number | null;
}

export interface LicencesTable {
  name: string;
  kind: LicenceKind;
  tokenCount: number;
  /** SHA-256 of the redemption code; null for a trial. */
  codeHash: string | null;
  clusterId: string | null;
  /** Whether a phone may move its tokens of this licence to a new phone by itself. */
  transferPolicy: 'self-service' | 'admin-only';
  /** Whether a phone may export a token's seed as an otpauth:// URI (off unless allowed). */
  exportPolicy: 'allowed' | 'forbidden';
  createdAt: number;
  redeemedAt: number | null;
}

export interface TokensTable {
  serial: string;
  licenceName: string;
  state: TokenState;
  lockedFrom: UnlockedTokenState | null;
  algorithm: OtpAlgorithm;
  digits: OtpDigits;
  period: OtpPeriod;
  seedEnc: string | null;
  /** Incremented with every new seed, so a poll returns the seed only when it changed. */
  seedVersion: number;
  deviceRegId: string | null;
  label: string | null;
  activatedAt: number | null;
  /** When the token's open activation code expires (null: none open); drives `provision timeout`. */
  activationExpiresAt: number | null;
  updatedAt: number;
}

export type ActivationCodeEnd = 'superseded' | 'revoked';

export interface ActivationCodesTable {
  codeHash: string;
  tokenSerial: string;
  kind: ActivationCodeKind;
  issuedAt: number;
  expiresAt: number;
  usedAt: number | null;
  usedByRegId: string | null;
  endedAt: number | null;
  endReason: ActivationCodeEnd | null;
}

export interface DevicesTable {
  regId: string;
  identityKey: string;
  sealingKey: string;
  osVer: string;
  createdAt: number;
  lastSeenAt: number;
  /** Its Web Push subscription as JSON (endpoint and keys); null: none. */
  webPush: string | null;
}

export type PushStatus = 'pending' | 'approved' | 'denied' | 'expired';

export interface PushesTable {
  id: string;
  tokenSerial: string;
  gatewaySerial: string;
  sessionId: string;
  /** JSON of the login context shown on the phone. */
  context: string;
  number: number | null;
  status: PushStatus;
  createdAt: number;
  expiresAt: number;
  answeredAt: number | null;
  tokenCode: string | null;
  hmac: string | null;
}

// --- gateway -------------------------------------------------------------------------------

export interface UsersTable {
  name: string;
  passwordHash: string;
  email: string | null;
  smsPhone: string | null;
  twoFactor: TwoFactor;
  tokenSerial: string | null;
  status: 'enable' | 'disable';
  failCount: number;
  lockedAt: number | null;
  /** Null while locked means until an admin unlocks (`auth-lockout-duration 0`). */
  lockedUntil: number | null;
  createdAt: number;
  updatedAt: number;
  /** The LDAP server that checks this user's password (FortiOS `type ldap`); null: local. */
  ldapServer: string | null;
  /** The auto-enrol user group whose directory sync made this entry; null: an admin did. */
  enrolledBy: string | null;
  /** When a sync first found the directory no longer listing this enrolled user (grace starts). */
  directoryGoneAt: number | null;
}

/** The gateway's token table: `config user fortitoken` plus what the OTP check learns. */
export interface FortitokensTable {
  serial: string;
  licence: string;
  status: 'active' | 'lock';
  state: TokenState;
  lockedFrom: UnlockedTokenState | null;
  algorithm: OtpAlgorithm;
  digits: OtpDigits;
  period: OtpPeriod;
  seedEnc: string | null;
  seedVersion: number;
  activationCodeEnc: string | null;
  activationExpiresAt: number | null;
  regId: string | null;
  osVer: string | null;
  comments: string | null;
  /** Learned clock offset of the phone, in steps. */
  drift: number;
  lastStep: number | null;
  updatedAt: number;
}

export interface RadiusClientsTable {
  name: string;
  /** An address or CIDR block. */
  address: string;
  secretEnc: string;
  messageAuthenticator: 'require' | 'optional';
  otpMode: OtpMode;
  createdAt: number;
  /** JSON array of the user groups that may log in through this client; null: everyone. */
  allowedGroups: string | null;
}

/** `config user ldap`: a directory that checks passwords (and, later, lists group members). */
export interface LdapServersTable {
  name: string;
  server: string;
  secondaryServer: string | null;
  tertiaryServer: string | null;
  port: number;
  secure: 'disable' | 'starttls' | 'ldaps';
  /** PEM of the CA the server's certificate must chain to; null: the system's CAs. */
  caCert: string | null;
  /** The attribute that names a user (`uid`, `sAMAccountName`, `cn`). */
  cnid: string;
  /** The base DN users are found under. */
  dn: string;
  /** `simple`: bind as `cnid=user,dn`; `regular`: search with the service account, bind as found. */
  type: 'simple' | 'regular';
  username: string | null;
  passwordEnc: string | null;
  groupMemberCheck: 'user-attr' | 'group-object';
  memberAttr: string;
  emailAttr: string;
  phoneAttr: string;
  timeoutSeconds: number;
  updatedAt: number;
}

/** `config user group`: who belongs (local members, directory matches) and what they get. */
export interface UserGroupsTable {
  name: string;
  /** JSON array of local user names. */
  members: string;
  /** JSON array of `{ server, group }`: members of directory group `group` on LDAP server `server`. */
  matches: string;
  /** JSON array of `Name=value` RADIUS reply attributes sent in every Access-Accept of a member. */
  radiusAttributes: string;
  /** 1: the directory sync gives every member found a local entry and a token. */
  autoEnrol: number;
  /** The licence auto-enrolled members' tokens come from; null: any licence. */
  licence: string | null;
  /** `disable`: members log in with the first factor alone (break-glass), logged as a warning. */
  twoFactor: 'enable' | 'disable';
  updatedAt: number;
}

/** A console admin: their password, role and the gateway user whose token is their second factor. */
export interface ConsoleAdminsTable {
  name: string;
  passwordHash: string;
  role: ConsoleRole;
  /** The gateway user whose FortiToken code the sign-in asks for; null: password only. */
  tokenUser: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface SettingsTable {
  key: string;
  /** JSON. */
  value: string;
  updatedAt: number;
}

export interface AuditLogTable {
  id: string;
  at: number;
  actor: string;
  action: string;
  subject: string | null;
  outcome: 'success' | 'failure';
  /** JSON, never secrets. */
  detail: string | null;
}

// --- auth engine ---------------------------------------------------------------------------

/**
 * A login between its first and second factor. The id is a bearer secret, so only its SHA-256
 * is stored; `usedAt` is set by the one compare-and-set that consumes it.
 */
export interface AuthSessionsTable {
  idHash: string;
  username: string;
  method: AuthMethod;
  frontEnd: FrontEnd;
  sourceIp: string | null;
  application: string | null;
  client: string | null;
  /** The number the user picks on the phone (number matching), when on. */
  pushNumber: number | null;
  /** The e-mail or SMS code, encrypted at rest, and when it stops working. */
  codeEnc: string | null;
  codeExpiresAt: number | null;
  /** A code matched outside the window: the step and drift the next code must confirm. */
  resyncStep: number | null;
  resyncDrift: number | null;
  createdAt: number;
  expiresAt: number;
  usedAt: number | null;
  /** JSON array of the user groups found at the first step; null: none. */
  groups: string | null;
}

/** One line per login decision: who, from where, how, what was decided and why. */
export interface AuthLogTable {
  id: string;
  at: number;
  username: string;
  sourceIp: string | null;
  frontEnd: FrontEnd;
  /** The RADIUS client the request came through. */
  client: string | null;
  /** `password`, `fortitoken`, `push`, `email` or `sms`. */
  method: string;
  result: AuthResult;
  reason: string;
  latencyMs: number;
  /** The gateway node that decided. */
  node: string | null;
}
