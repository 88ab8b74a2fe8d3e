/**
 * The console API's request and reply shapes, shared by the routes (as fastify's `Body`,
 * `Querystring` and `Reply` types, so a handler returning another shape fails the type check)
 * and the console's browser code (console/src), which reads exactly these. It is compiled into
 * the browser bundle too, so it imports types only.
 */
import type { ConsoleRole } from '../../core/console-role.js';
import type { AuthResult, FrontEnd, OtpMode, TwoFactor } from '../../core/login-terms.js';
import type { TokenState } from '../../core/token-state.js';

export type { AuthResult, ConsoleRole, FrontEnd, OtpMode, TokenState, TwoFactor };

/** Every error body: a stable code, a sentence saying what to do, the field when one was wrong. */
export interface ApiError {
  readonly error: { readonly code: string; readonly message: string; readonly field?: string };
}

export interface SessionReply {
  readonly user: string;
  readonly role: ConsoleRole;
  readonly csrf: string;
  /** True after a right password when the admin's token code is still owed. */
  readonly needsCode: boolean;
  /** The session ends after this long without a request. */
  readonly idleSeconds: number;
}

export interface Paged {
  /** Matches, counted up to 10,000; `totalCapped` says there are more. */
  readonly total: number;
  readonly totalCapped: boolean;
}

export interface UserRow {
  readonly name: string;
  readonly email: string | null;
  readonly smsPhone: string | null;
  readonly twoFactor: TwoFactor;
  readonly tokenSerial: string | null;
  readonly tokenState: TokenState | null;
  readonly tokenStatus: 'active' | 'lock' | null;
  readonly status: 'enable' | 'disable';
  readonly locked: boolean;
  readonly lockedUntil: number | null;
  readonly ldapServer: string | null;
  readonly enrolledBy: string | null;
  readonly createdAt: number;
}

export const USER_SORT_KEYS = ['name', 'email', 'twoFactor', 'tokenSerial', 'createdAt'] as const;

export interface UsersQuery {
  readonly text?: string;
  readonly twoFactor?: TwoFactor;
  readonly tokenState?: TokenState | 'none';
  readonly locked?: 'yes' | 'no';
  readonly group?: string;
  readonly sort?: (typeof USER_SORT_KEYS)[number];
  readonly order?: 'asc' | 'desc';
  readonly offset?: number;
  readonly limit?: number;
}

export interface UsersPage extends Paged {
  readonly users: UserRow[];
}

export interface TokenRow {
  readonly serial: string;
  readonly licence: string;
  readonly state: TokenState;
  readonly status: 'active' | 'lock';
  readonly user: string | null;
  readonly regId: string | null;
  readonly osVer: string | null;
  readonly activationExpiresAt: number | null;
  readonly drift: number;
  readonly updatedAt: number;
}

export const TOKEN_SORT_KEYS = [
  'serial',
  'state',
  'user',
  'activationExpiresAt',
  'updatedAt',
] as const;

export interface TokensQuery {
  readonly text?: string;
  readonly state?: TokenState;
  readonly status?: 'active' | 'lock';
  readonly sort?: (typeof TOKEN_SORT_KEYS)[number];
  readonly order?: 'asc' | 'desc';
  readonly offset?: number;
  readonly limit?: number;
}

export interface TokensPage extends Paged {
  readonly tokens: TokenRow[];
}

export interface AuthLogRow {
  readonly id: string;
  readonly at: number;
  readonly username: string;
  readonly sourceIp: string | null;
  readonly frontEnd: FrontEnd;
  readonly client: string | null;
  readonly method: string;
  readonly result: AuthResult;
  readonly reason: string;
  readonly latencyMs: number;
  readonly node: string | null;
}

export interface AuditRow {
  readonly id: string;
  readonly at: number;
  readonly actor: string;
  readonly action: string;
  readonly subject: string | null;
  readonly outcome: 'success' | 'failure';
  readonly detail: Record<string, unknown> | null;
}

/** The filters of both logs; `since` and `until` in epoch milliseconds. */
export interface LogQuery {
  readonly text?: string;
  readonly result?: AuthResult;
  readonly frontEnd?: FrontEnd;
  readonly outcome?: 'success' | 'failure';
  readonly since?: number;
  readonly until?: number;
  readonly offset?: number;
  readonly limit?: number;
  /** Exports only: the file's format. */
  readonly format?: 'csv' | 'json';
}

export interface AuthLogPage extends Paged {
  readonly entries: AuthLogRow[];
}

export interface AuditPage extends Paged {
  readonly entries: AuditRow[];
}

export interface UserDetail {
  readonly user: UserRow & { readonly failCount: number };
  readonly token: TokenRow | null;
  readonly groups: string[];
  readonly recentLogins: AuthLogRow[];
}

export interface TokenDetail {
  readonly token: TokenRow;
  /** Who provisioned, moved, locked ... it, and when: the audit entries naming it. */
  readonly history: AuditRow[];
}

/** The activation shown on screen to an admin enrolling someone at the desk (audited). */
export interface DeskActivation {
  readonly serial: string;
  readonly code: string;
  readonly expiresAt: number;
  readonly uri: string;
  /** A PNG of the QR code of `uri`, as a data: URL. */
  readonly qr: string;
}

export interface Overview {
  readonly tokensByState: Record<string, number>;
  readonly licences: { name: string; seats: number; used: number; free: number }[];
  readonly tokenServer: string;
  readonly recentLogins: AuthLogRow[];
}

export interface Checklist {
  readonly delivery: boolean;
  readonly radiusClient: boolean;
  readonly activatedUser: boolean;
  readonly adminToken: boolean;
}

export interface LoginStats {
  readonly since: number;
  readonly perHour: { hour: number; accept: number; reject: number; challenge: number }[];
  readonly topRejectedUsers: { key: string; count: number }[];
  readonly topRejectedSources: { key: string; count: number }[];
}

/** A setting the console edits, with what values it takes. */
export interface SettingField {
  readonly path: string;
  readonly name: string;
  readonly label: string;
  readonly value: number | string;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  readonly unit?: string;
}

export interface SettingsChange {
  readonly changes: { path: string; name: string; value: number | string }[];
}

export interface MailSettings {
  readonly host: string;
  readonly port: number;
  readonly tls: 'implicit' | 'starttls' | 'none';
  readonly from: string;
  readonly user?: string;
  /** Absent: keep the stored password. */
  readonly password?: string;
}

export interface DeliverySettings {
  readonly mail: (Omit<MailSettings, 'password'> & { readonly passwordSet: boolean }) | null;
  readonly sms: { readonly webhook: string } | null;
}

export interface DeliveryTest {
  readonly channel: 'email' | 'sms';
  readonly to: string;
}

export interface AdminRow {
  readonly name: string;
  readonly role: ConsoleRole;
  readonly tokenUser: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export interface AdminInput {
  readonly name: string;
  readonly password?: string;
  readonly role?: ConsoleRole;
  readonly tokenUser?: string | null;
}

export interface NewUserInput {
  readonly name: string;
  readonly password: string;
  readonly email?: string;
  readonly sms?: string;
  readonly token?: boolean;
  readonly twoFactor?: TwoFactor;
}

export interface UserChangeInput {
  readonly email?: string;
  readonly sms?: string;
  readonly twoFactor?: TwoFactor;
  readonly status?: 'enable' | 'disable';
}

export const BULK_ACTIONS = ['activation', 'disable', 'enable', 'delete'] as const;

export interface BulkInput {
  readonly action: (typeof BULK_ACTIONS)[number];
  readonly names: string[];
  readonly confirm?: boolean;
}

export interface BulkResult {
  readonly done: string[];
  readonly failed: { name: string; message: string }[];
}

export interface ImportInput {
  /** The CSV text: a header line naming the columns (name, email, sms, two-factor, password). */
  readonly csv: string;
  /** False: only check and preview; true: add every row, refused whole when any row is wrong. */
  readonly commit: boolean;
}

export interface ImportRow {
  readonly line: number;
  readonly name: string;
  readonly email: string | null;
  readonly sms: string | null;
  readonly twoFactor: TwoFactor;
  /** Why the row cannot be added, in words, and the column at fault. */
  readonly error: { readonly message: string; readonly column: string } | null;
}

export interface ImportResult {
  readonly rows: ImportRow[];
  readonly valid: number;
  readonly invalid: number;
  /** How many users were added (0 for a preview). */
  readonly added: number;
  /** Rows added whose activation could not be sent, or that failed when written. */
  readonly problems: { line: number; message: string }[];
}

export interface RadiusClientRow {
  readonly name: string;
  readonly address: string;
  readonly otpMode: OtpMode;
  readonly messageAuthenticator: 'require' | 'optional';
}

export interface Ok {
  readonly ok: true;
}
