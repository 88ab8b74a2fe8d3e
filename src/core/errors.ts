/**
 * Every error Tokenward reports carries a stable string code from this catalog. The public
 * message tells the person what to do next; `detail` is for the log only and may name internals,
 * never secrets. docs/errors.md has one row per code (test/core/errors-doc.test.ts keeps them in
 * step).
 */
interface ErrorSpec {
  /** HTTP status when the error crosses an HTTP interface. */
  readonly status: number;
  /** Whether the public message may be shown to the caller (false: a generic server error). */
  readonly expose: boolean;
  readonly message: string;
}

export const errorCatalog = {
  TW_INTERNAL: {
    status: 500,
    expose: false,
    message: 'Something went wrong on the server. Try again; if it persists, check the server log.',
  },
  TW_INPUT_INVALID: {
    status: 400,
    expose: true,
    message: 'The request is not valid. Check the named field and try again.',
  },
  TW_BASE32_INVALID: {
    status: 400,
    expose: true,
    message: 'The value is not valid base32 (letters A-Z and digits 2-7). Check it for typos.',
  },
  TW_SERIAL_INVALID: {
    status: 400,
    expose: true,
    message: 'A serial number is 16 characters, letters A-Z and digits only. Check it for typos.',
  },
  TW_LICENCE_CODE_INVALID: {
    status: 400,
    expose: true,
    message:
      'A licence code is 20 hexadecimal characters, e.g. 0000-0000-0000-0000-0000 for the trial. Check it for typos.',
  },
  TW_ACTIVATION_CODE_MALFORMED: {
    status: 400,
    expose: true,
    message:
      'An activation code is 16 characters (letters A-Z and digits 2-7). Check it for typos, or scan the QR code instead.',
  },
  TW_TOKEN_TRANSITION_INVALID: {
    status: 409,
    expose: true,
    message: 'The token is not in a state that allows this action. Check its state and try again.',
  },
  TW_OTP_PARAMETERS_INVALID: {
    status: 400,
    expose: true,
    message:
      'OTP parameters must be algorithm SHA1, SHA256 or SHA512, 6 or 8 digits, and a period of 30 or 60 seconds.',
  },
  TW_OTPAUTH_URI_INVALID: {
    status: 400,
    expose: true,
    message:
      'The otpauth:// URI is not valid. Export it again from the token, or enter the secret by hand.',
  },
  TW_CANONICAL_JSON_INVALID: {
    status: 400,
    expose: true,
    message:
      'The value cannot be signed: only JSON objects, arrays, strings, booleans, null and finite numbers can.',
  },
  TW_SEALED_DATA_INVALID: {
    status: 500,
    expose: false,
    message:
      'Sealed data could not be opened: it was made for another key or context, or it was altered.',
  },
  TW_MASTER_KEY_INVALID: {
    status: 500,
    expose: false,
    message:
      'The master key is missing or malformed. TOKENWARD_MASTER_KEY must be 32 bytes as base64 or hex; master.key must be 32 bytes and mode 0600.',
  },
  TW_SIGNATURE_INVALID: {
    status: 401,
    expose: true,
    message: 'The request signature is not valid. Check the device or gateway credentials.',
  },
  TW_GATEWAY_AUTH_MALFORMED: {
    status: 401,
    expose: true,
    message:
      'The Authorization header must be "TW1-HMAC-SHA256 sn=<serial>,ts=<unix seconds>,nonce=<base64url>,sig=<base64>".',
  },
  TW_GATEWAY_AUTH_STALE: {
    status: 401,
    expose: true,
    message:
      'The request timestamp is more than 300 seconds from the server clock. Synchronise the gateway clock (NTP) and retry.',
  },
  TW_PASSWORD_WEAK: {
    status: 400,
    expose: true,
    message: 'The password is too short or too common. Choose a longer one.',
  },
  TW_TWO_FACTOR_REQUIRED: {
    status: 400,
    expose: true,
    message:
      'This user would log in with a password alone. Give a token (--token auto with --email or --sms) or --two-factor email|sms, or allow it explicitly with --no-two-factor.',
  },
  TW_TOKEN_ACTIVE: {
    status: 409,
    expose: true,
    message:
      'The token is active on a phone. Resending does not re-issue it; reprovision it (confirmed) to move it to a new phone.',
  },
  TW_CONFIRMATION_REQUIRED: {
    status: 400,
    expose: true,
    message:
      'This action cannot be undone and needs confirmation: add --yes (or confirm in the console).',
  },
  TW_REQUEST_REPLAYED: {
    status: 401,
    expose: true,
    message:
      'This signed request was received before (its nonce is spent): a replay, or a client resending the same bytes. Send a new request; each is signed with a fresh nonce.',
  },
  TW_GATEWAY_AUTH_INVALID: {
    status: 401,
    expose: true,
    message:
      'The gateway credentials were not accepted. Enrol the gateway again and use the secret it printed.',
  },
  TW_PASSWORD_HASH_INVALID: {
    status: 500,
    expose: false,
    message: 'A stored password hash is malformed. Set the password again.',
  },
  TW_MASTER_KEY_MISMATCH: {
    status: 500,
    expose: true,
    message:
      "This database's secrets are sealed under another master key. Every node of one database must use the same key: copy master.key (mode 0600) from the data directory of the first node, or set TOKENWARD_MASTER_KEY to it on every node.",
  },
  TW_REKEY_UNFINISHED: {
    status: 500,
    expose: true,
    message:
      'A rotation of the master key (tokenward rekey) was started on this database and has not finished. Run npx tokenward rekey again with the same --data and --db to finish it; then start the services.',
  },
  TW_REKEY_KEY_MISSING: {
    status: 500,
    expose: true,
    message:
      'The rotation of the master key cannot go on: master.key.new in the data directory is missing or is not the key the rotation started with. Put back the master.key.new the rotation made (values already moved are sealed under it), then run npx tokenward rekey again.',
  },
  TW_SYSLOG_UNREACHABLE: {
    status: 503,
    expose: true,
    message:
      'A syslog server cannot be reached. The events wait in the auth and audit logs and are sent, in order, when it answers again.',
  },
  TW_BACKUP_ENGINE_UNSUPPORTED: {
    status: 500,
    expose: true,
    message:
      'tokenward backup copies SQLite databases. Back up PostgreSQL with pg_dump and check a restore with npx tokenward check (docs/operations.md).',
  },
  TW_BACKUP_INVALID: {
    status: 400,
    expose: true,
    message:
      'The file is not a Tokenward backup, or it was damaged or altered after it was made: nothing was restored. Use another copy of the backup.',
  },
  TW_BACKUP_PASSPHRASE_WRONG: {
    status: 400,
    expose: true,
    message:
      'The passphrase does not open this backup. Give the passphrase it was made with on standard input (--passphrase-stdin).',
  },
  TW_RESTORE_TARGET_NOT_EMPTY: {
    status: 400,
    expose: true,
    message:
      'The data directory already holds a database: a restore goes into an empty one. Give --data a new directory (with the master key in it, unless the backup carries it).',
  },
  TW_DIRECTORY_UNUSABLE: {
    status: 500,
    expose: true,
    message: 'The directory cannot be created or written. Choose another with the flag named.',
  },
  TW_NOT_A_PROVISIONER: {
    status: 502,
    expose: true,
    message:
      "The server answered, but not as a Tokenward provisioner. Check the address: it is the provisioner's, not the gateway's.",
  },
  TW_URL_INVALID: {
    status: 400,
    expose: true,
    message: 'The URL is not an http:// or https:// URL. Give it as https://host:port.',
  },
  TW_FILE_UNREADABLE: {
    status: 400,
    expose: true,
    message: 'The file cannot be read. Check the path and its permissions.',
  },
  TW_STORE_UNAVAILABLE: {
    status: 503,
    expose: true,
    message:
      'The database cannot be reached or cannot write just now. Nothing was changed; try again in a few seconds.',
  },
  TW_DIRECTORY_UNAVAILABLE: {
    status: 503,
    expose: true,
    message:
      'No host of the LDAP server answered. Check that the directory is up and reachable from this gateway; failed hosts are retried after a back-off.',
  },
  TW_LDAP_SERVICE_BIND_FAILED: {
    status: 502,
    expose: true,
    message:
      "The LDAP server refused the gateway's service account. Set the right username and password on the LDAP server entry.",
  },
  TW_LDAP_SERVER_INVALID: {
    status: 400,
    expose: true,
    message:
      'An LDAP server setting is not valid; the named field says which. Nothing was changed.',
  },
  TW_DIRECTORY_SYNC_HELD: {
    status: 409,
    expose: true,
    message:
      'The directory sync found more enrolled users gone than directory-removal-limit allows and removed nobody. Check the directory groups; if they are right, run it again with --confirm-removals.',
  },
  TW_LDAP_SERVER_IN_USE: {
    status: 409,
    expose: true,
    message:
      'Users still have their password checked by this LDAP server. Move them to another server or a local password first.',
  },
  TW_DATABASE_URL_INVALID: {
    status: 500,
    expose: true,
    message:
      'The database URL is not supported. Use sqlite:<path> (the default) or postgres://user@host:port/database.',
  },
  TW_STORE_MIGRATION_FAILED: {
    status: 500,
    expose: false,
    message:
      'The database schema could not be brought up to date. Check that the database is reachable and writable, then restart.',
  },
  TW_STORE_CONFLICT: {
    status: 409,
    expose: true,
    message: 'That item already exists. Use another name or serial, or change the existing one.',
  },
  TW_STORE_NOT_FOUND: {
    status: 404,
    expose: true,
    message: 'No such item. Check the name or serial; the list command shows what exists.',
  },
  TW_BODY_TOO_LARGE: {
    status: 413,
    expose: true,
    message: 'The request body is too large. Send at most 1,000 tokens per request.',
  },
  TW_PROTOCOL_MALFORMED: {
    status: 400,
    expose: true,
    message:
      'The request is not a SoftToken message: send JSON {"d": {"__type": "SoftToken.<Name>Request", "__version": "4", ...}}.',
  },
  TW_PROTOCOL_TYPE_UNKNOWN: {
    status: 400,
    expose: true,
    message:
      'The __type is not a SoftToken message this endpoint serves. Check the endpoint and the type.',
  },
  TW_PROTOCOL_VERSION_UNSUPPORTED: {
    status: 400,
    expose: true,
    message: 'This server speaks SoftToken protocol version "4". Update the client.',
  },
  TW_MESSAGE_INVALID: {
    status: 400,
    expose: true,
    message:
      'A field of the message is missing or invalid; the message names it. Correct it and retry.',
  },
  TW_GATEWAY_KEY_MISSING: {
    status: 409,
    expose: true,
    message:
      'No sealing key is registered for this gateway, so seeds cannot be sent to it. Send __sealing_key with the request.',
  },
  TW_GATEWAY_KEY_MISMATCH: {
    status: 409,
    expose: true,
    message:
      'The gateway sent a sealing key other than the one registered. Remove and enrol the gateway again to change its key.',
  },
  TW_CLUSTER_MEMBER_UNKNOWN: {
    status: 403,
    expose: true,
    message:
      "This serial is not enrolled in the same cluster as the sender. Enrol it with --cluster set to the sender's cluster.",
  },
  TW_LICENCE_UNKNOWN: {
    status: 404,
    expose: true,
    message: 'No licence has this code. Check the code on the licence certificate.',
  },
  TW_LICENCE_ALREADY_IMPORTED: {
    status: 409,
    expose: true,
    message: 'This cluster has already imported this licence; its tokens are in the token list.',
  },
  TW_LICENCE_OTHER_CLUSTER: {
    status: 409,
    expose: true,
    message:
      'This licence belongs to another gateway cluster. Ask the provisioner administrator to move it (license move).',
  },
  TW_TOKEN_UNKNOWN: {
    status: 404,
    expose: true,
    message:
      "No token with this serial belongs to this cluster's licences. Import its licence first.",
  },
  TW_TOKEN_NOT_PROVISIONED: {
    status: 409,
    expose: true,
    message:
      'The token is not activated on a phone. Provision it and let the user activate it first.',
  },
  TW_ACTIVATION_CODE_INVALID: {
    status: 403,
    expose: true,
    message: 'Activation Code is invalid. Ask your administrator to send a new activation code.',
  },
  TW_RATE_LIMITED: {
    status: 429,
    expose: true,
    message: 'Too many failed attempts. Wait and try again later.',
  },
  TW_DEVICE_UNKNOWN: {
    status: 401,
    expose: true,
    message: 'This phone is not registered with the provisioner. Activate a token on it first.',
  },
  TW_DEVICE_REQUEST_STALE: {
    status: 401,
    expose: true,
    message:
      "The request timestamp is more than 300 seconds from the server clock. Set the phone's clock automatically and retry.",
  },
  TW_TOKEN_NOT_ON_DEVICE: {
    status: 403,
    expose: true,
    message:
      'This token is not activated on this phone (it may have moved to another one). Ask your administrator for a new activation code.',
  },
  TW_TRANSFER_FORBIDDEN: {
    status: 403,
    expose: true,
    message:
      'The licence of this token does not allow self-service transfer. Ask your administrator to provision the token to the new phone.',
  },
  TW_AUTH_REJECTED: {
    status: 401,
    expose: true,
    message:
      'Authentication failed. Check the user name, password and code, and start the login again.',
  },
  TW_CONSOLE_SIGN_IN: {
    status: 401,
    expose: true,
    message: 'Sign in to the console: the name or password is wrong, or the session has ended.',
  },
  TW_CONSOLE_CSRF: {
    status: 403,
    expose: true,
    message:
      'This change did not come from the console page (missing CSRF token). Reload the page and try again.',
  },
  TW_CONSOLE_CODE_REQUIRED: {
    status: 401,
    expose: true,
    message:
      'The password was right: now enter the code your Tokenward token shows (the session waits 2 minutes).',
  },
  TW_CONSOLE_PUSH_UNAVAILABLE: {
    status: 409,
    expose: true,
    message:
      'No push can be sent for this sign-in (push is off, or the token cannot take one now). Enter the code your token shows.',
  },
  TW_CONSOLE_ROLE_FORBIDDEN: {
    status: 403,
    expose: true,
    message:
      'Your console role does not allow this change. Ask a super admin to make it or to change your role.',
  },
  TW_CONSOLE_ADMIN_NOT_FOUND: {
    status: 404,
    expose: true,
    message: 'No console admin has this name. List them with GET /console/api/admins.',
  },
  TW_CONSOLE_LAST_SUPER: {
    status: 409,
    expose: true,
    message:
      'This is the last super admin: make another admin super first, then remove or demote this one.',
  },
  TW_CONSOLE_TOKEN_USER_UNUSABLE: {
    status: 400,
    expose: true,
    message:
      "The admin's token user must be a gateway user with two-factor fortitoken and a token. Add one (with a token) first.",
  },
  TW_RADIUS_UNANSWERED: {
    status: 504,
    expose: true,
    message:
      'The RADIUS server did not answer. Check its address and port, that this client is configured there, and the shared secret.',
  },
  TW_RADIUS_ANSWER_INVALID: {
    status: 502,
    expose: true,
    message:
      'The RADIUS answer did not verify with the shared secret. Check that both sides use the same secret.',
  },
  TW_PUSH_RATE_LIMITED: {
    status: 429,
    expose: true,
    message:
      'Too many push requests for this token (at most 3 pending and 10 a minute). Wait, or log in with a code.',
  },
  TW_PUSH_UNKNOWN: {
    status: 404,
    expose: true,
    message: 'No such push request. It may belong to another token or gateway.',
  },
  TW_PUSH_CLOSED: {
    status: 409,
    expose: true,
    message: 'This push request was already answered or has expired. Start the login again.',
  },
  TW_PUSH_NUMBER_MISMATCH: {
    status: 403,
    expose: true,
    message:
      'The number does not match the one shown at login, so the request was denied. If it was you, start the login again.',
  },
  TW_ACTIVATION_URI_INVALID: {
    status: 400,
    expose: true,
    message:
      'The activation link is not valid. It looks like https://<provisioner>/app/#activate=<16 characters>; copy it again from the e-mail.',
  },
  TW_QR_UNREADABLE: {
    status: 400,
    expose: true,
    message:
      'No QR code could be read from the image. Use the PNG attached to the activation e-mail, or type the code.',
  },
  TW_PROVISIONER_UNREACHABLE: {
    status: 503,
    expose: true,
    message:
      'The provisioning server cannot be reached. Check the network and the server address, then try again.',
  },
  TW_VAULT_PIN_REQUIRED: {
    status: 401,
    expose: true,
    message: 'This token vault is protected by a PIN. Give it with --pin-stdin or TOKENWARD_PIN.',
  },
  TW_VAULT_PIN_INVALID: {
    status: 401,
    expose: true,
    message:
      'The PIN does not open this token vault. Nothing was changed; try again with the right PIN.',
  },
  TW_VAULT_PIN_WEAK: {
    status: 400,
    expose: true,
    message: 'A vault PIN or passphrase has at least 6 characters. Choose a longer one.',
  },
  TW_VAULT_CORRUPT: {
    status: 500,
    expose: true,
    message:
      'The token vault file is damaged. Nothing was overwritten: the previous version is kept as vault.prev beside it; copy it over vault to restore it.',
  },
  TW_TOKEN_NOT_IN_VAULT: {
    status: 404,
    expose: true,
    message: 'No token with this serial is on this device. `mobile list` shows the tokens it has.',
  },
  TW_TOKEN_MOVED: {
    status: 410,
    expose: true,
    message:
      'This token is no longer on this device: it was moved to another phone or revoked. Ask your administrator if that was not you.',
  },
  TW_EXPORT_FORBIDDEN: {
    status: 403,
    expose: true,
    message:
      "This token's licence does not allow exporting its secret. Use transfer to move it to another phone.",
  },
  TW_CONFIG_SYNTAX: {
    status: 400,
    expose: true,
    message:
      'The configuration text is not valid FortiOS syntax; the message names the line. Nothing was changed.',
  },
  TW_GATEWAY_NOT_ENROLLED: {
    status: 409,
    expose: true,
    message:
      'This gateway is not enrolled with a provisioner. Run: echo "$SECRET" | tokenward gateway enroll --provisioner URL --serial SN --secret-stdin',
  },
  TW_TOKEN_NO_FREE: {
    status: 409,
    expose: true,
    message:
      'No free token is left in the imported licences. Import another licence: tokenward gateway license import CODE',
  },
  TW_DELIVERY_FAILED: {
    status: 502,
    expose: true,
    message:
      'The activation could not be delivered; the token stays provisioned. Check the mail or SMS settings, then resend: tokenward gateway token resend SERIAL',
  },
  TW_CONFIG_INVALID: {
    status: 400,
    expose: true,
    message:
      'The configuration names an unknown section or setting, or an invalid value; the message names the line. Nothing was changed.',
  },
  TW_NAME_INVALID: {
    status: 400,
    expose: true,
    message:
      'The name is not valid: 1 to 64 characters, no spaces, nothing invisible. Choose another.',
  },
  TW_EMAIL_INVALID: {
    status: 400,
    expose: true,
    message: 'The e-mail address is not valid. Give one address, e.g. alice@example.com.',
  },
  TW_PHONE_INVALID: {
    status: 400,
    expose: true,
    message:
      'The phone number is not valid. Give digits with an optional leading +, e.g. +15550123.',
  },
  TW_ADDRESS_INVALID: {
    status: 400,
    expose: true,
    message:
      'The address is not an IP address or CIDR block, e.g. 10.0.0.1 or 10.0.0.0/24. Check it for typos.',
  },
  TW_RADIUS_SECRET_INVALID: {
    status: 400,
    expose: true,
    message: 'A RADIUS shared secret is 1 to 128 bytes (16 or more random characters advised).',
  },
  TW_DELIVERY_ADDRESS_MISSING: {
    status: 400,
    expose: true,
    message:
      'A user with a token needs an e-mail address or an SMS number: that is where the activation goes. Give --email or --sms.',
  },
  TW_ACTIVATION_NOT_PENDING: {
    status: 409,
    expose: true,
    message:
      'The token has no live activation code. Provision it to issue one: tokenward gateway token provision SERIAL',
  },
  TW_CONFIG_SECTION_UNKNOWN: {
    status: 400,
    expose: true,
    message: 'There is no such configuration section; the message lists the sections there are.',
  },
  TW_OPTION_INVALID: {
    status: 400,
    expose: true,
    message:
      'The option has a value it does not take; the message names the option and its values.',
  },
  TW_SECRET_STDIN_REQUIRED: {
    status: 400,
    expose: true,
    message:
      'A secret is read from standard input, never taken as an argument: pipe it in with the flag the message names.',
  },
  TW_LISTEN_FAILED: {
    status: 400,
    expose: true,
    message:
      'The address cannot be listened on (taken, not this machine, or a privileged port). Choose another with the flag the message names.',
  },
  TW_TLS_INCOMPLETE: {
    status: 400,
    expose: true,
    message: 'TLS needs both --tls-cert and --tls-key.',
  },
  TW_AUTH_BUSY: {
    status: 503,
    expose: true,
    message:
      'The gateway is checking as many passwords as it can right now. Try again in a second; a RADIUS client retries or fails over by itself.',
  },
  TW_SETTING_INVALID: {
    status: 400,
    expose: true,
    message:
      'The setting does not exist or its value is out of range; the message names it and what it takes. Nothing was changed.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof errorCatalog;

export interface TokenwardErrorOptions {
  /** Overrides the catalog message with a more specific one that still says what to do. */
  readonly message?: string;
  /** For the log only: what exactly went wrong. Never a secret. */
  readonly detail?: string | undefined;
  /** Machine-readable facts the caller may see, e.g. `{ reason: 'expired' }`. */
  readonly data?: Readonly<Record<string, string | number>>;
  readonly cause?: unknown;
}

export type PublicError = { code: ErrorCode; message: string } & Readonly<
  Record<string, string | number>
>;

export class TokenwardError extends Error {
  override readonly name = 'TokenwardError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly expose: boolean;
  readonly detail: string | undefined;
  readonly data: Readonly<Record<string, string | number>>;

  constructor(code: ErrorCode, options: TokenwardErrorOptions = {}) {
    const spec: ErrorSpec = errorCatalog[code];
    super(options.message ?? spec.message, { cause: options.cause });
    this.code = code;
    this.status = spec.status;
    this.expose = spec.expose;
    this.detail = options.detail;
    this.data = options.data ?? {};
  }

  /** What a caller outside the process may see: unexposed errors become TW_INTERNAL. */
  toPublic(): PublicError {
    if (this.expose) return { ...this.data, code: this.code, message: this.message };
    return { code: 'TW_INTERNAL', message: errorCatalog.TW_INTERNAL.message };
  }
}

export function isTokenwardError(value: unknown, code?: ErrorCode): value is TokenwardError {
  return value instanceof TokenwardError && (code === undefined || value.code === code);
}
