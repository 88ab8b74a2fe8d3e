import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { TokenwardError } from '../core/errors.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { LdapServer } from '../store/repositories/ldap-server-repository.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const HOST =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
/** An attribute description (RFC 4512 section 1.4): a letter, then letters, digits, hyphens. */
const ATTRIBUTE = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

/** `config user ldap` as an admin gives it (FortiOS names; ours: email-attr, phone-attr). */
export interface LdapServerInput {
  readonly name: string;
  readonly server: string;
  readonly secondaryServer?: string | undefined;
  readonly tertiaryServer?: string | undefined;
  readonly port?: number | undefined;
  readonly secure?: LdapServer['secure'] | undefined;
  /** PEM of the CA the server's certificate must chain to. */
  readonly caCert?: string | undefined;
  readonly cnid?: string | undefined;
  readonly dn: string;
  readonly type?: LdapServer['type'] | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** The password already sealed (`config import` of what `config show` printed). */
  readonly passwordEnc?: string | undefined;
  readonly groupMemberCheck?: LdapServer['groupMemberCheck'] | undefined;
  readonly memberAttr?: string | undefined;
  readonly emailAttr?: string | undefined;
  readonly phoneAttr?: string | undefined;
  readonly timeoutSeconds?: number | undefined;
}

const invalid = (field: string, message: string): never => {
  throw new TokenwardError('TW_LDAP_SERVER_INVALID', { message, data: { field } });
};

const host = (value: string | undefined, field: string): string | null => {
  if (value === undefined || value === '') return null;
  if (isIP(value) === 0 && !HOST.test(value)) {
    invalid(field, `"${field}" is a host name or an IP address, e.g. ldap.example.com.`);
  }
  return value;
};

const attribute = (value: string | undefined, fallback: string, field: string): string => {
  const chosen = value ?? fallback;
  if (!ATTRIBUTE.test(chosen)) {
    invalid(field, `"${field}" is an LDAP attribute name, e.g. ${fallback}.`);
  }
  return chosen;
};

/** The sealed service-account password's AAD: the server it belongs to. */
export const ldapPasswordAad = (name: string) => `ldap-server-password:${name}`;

/**
 * An LDAP server row from what an admin gave, every field checked (TW_LDAP_SERVER_INVALID names
 * the first wrong one), FortiOS's defaults filled in (port 389, or 636 with ldaps; cnid `cn`;
 * type simple), the service account's password sealed.
 */
export function newLdapServer(
  input: LdapServerInput,
  cipher: AtRestCipher,
  now: number,
): LdapServer {
  if (!NAME.test(input.name)) {
    invalid(
      'name',
      `"${input.name}" is not a server name: 1-64 letters, digits, dots, dashes or underscores.`,
    );
  }
  const secure = input.secure ?? 'disable';
  const port = input.port ?? (secure === 'ldaps' ? 636 : 389);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) {
    invalid('port', '"port" is a whole number from 1 to 65535.');
  }
  const timeoutSeconds = input.timeoutSeconds ?? 5;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 60) {
    invalid('timeout', '"timeout" is a whole number of seconds from 1 to 60.');
  }
  const dn = input.dn.trim();
  if (dn === '' || dn.length > 512 || !dn.includes('=')) {
    invalid('dn', '"dn" is the base DN users are found under, e.g. ou=people,dc=example,dc=com.');
  }
  const type = input.type ?? 'simple';
  const sealed =
    input.password === undefined
      ? (input.passwordEnc ?? null)
      : cipher.encrypt(Buffer.from(input.password), ldapPasswordAad(input.name));
  if (type === 'regular' && (input.username === undefined || sealed === null)) {
    invalid(
      'username',
      'A "regular" LDAP server needs the service account: username (a DN) and password.',
    );
  }
  let caCert: string | null = null;
  if (input.caCert !== undefined) {
    try {
      caCert = new X509Certificate(input.caCert).toString();
    } catch {
      invalid('ca-cert', '"ca-cert" is a PEM certificate (-----BEGIN CERTIFICATE-----).');
    }
  }
  return {
    name: input.name,
    server: host(input.server, 'server') ?? invalid('server', '"server" is required.'),
    secondaryServer: host(input.secondaryServer, 'secondary-server'),
    tertiaryServer: host(input.tertiaryServer, 'tertiary-server'),
    port,
    secure,
    caCert,
    cnid: attribute(input.cnid, 'cn', 'cnid'),
    dn,
    type,
    username: input.username ?? null,
    passwordEnc: sealed,
    groupMemberCheck: input.groupMemberCheck ?? 'user-attr',
    memberAttr: attribute(input.memberAttr, 'memberOf', 'member-attr'),
    emailAttr: attribute(input.emailAttr, 'mail', 'email-attr'),
    phoneAttr: attribute(input.phoneAttr, 'mobile', 'phone-attr'),
    timeoutSeconds,
    updatedAt: now,
  };
}
