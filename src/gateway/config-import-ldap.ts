import { X509Certificate } from 'node:crypto';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { ConfigEntry } from '../protocol/fortios/config-document.js';
import type { LdapServer } from '../store/repositories/ldap-server-repository.js';
import type { GatewayRepositories } from '../store/store.js';
import { checkedAt, choice, integer, invalid, secret, single } from './config-values.js';
import { type LdapServerInput, ldapPasswordAad, newLdapServer } from './new-ldap-server.js';

type Change = (tx: GatewayRepositories) => Promise<void>;

/** A server as input again, so that an `edit` changes only what it sets. */
const asInput = (server: LdapServer): LdapServerInput => ({
  ...server,
  secondaryServer: server.secondaryServer ?? undefined,
  tertiaryServer: server.tertiaryServer ?? undefined,
  caCert: server.caCert ?? undefined,
  username: server.username ?? undefined,
  passwordEnc: server.passwordEnc ?? undefined,
});

/** One `edit` of `config user ldap`, checked as `gateway ldap add` checks it. */
export async function ldapServerEntry(
  store: Pick<GatewayRepositories, 'ldapServers'>,
  cipher: AtRestCipher,
  entry: ConfigEntry,
  now: number,
): Promise<Change> {
  const existing = await store.ldapServers.find(entry.name);
  let input: LdapServerInput =
    existing === undefined ? { name: entry.name, server: '', dn: '' } : asInput(existing);
  const text = (setting: Parameters<typeof single>[0]) =>
    setting.unset ? undefined : single(setting);
  for (const setting of entry.settings) {
    switch (setting.key) {
      case 'server':
        input = { ...input, server: single(setting) };
        break;
      case 'secondary-server':
        input = { ...input, secondaryServer: text(setting) };
        break;
      case 'tertiary-server':
        input = { ...input, tertiaryServer: text(setting) };
        break;
      case 'port':
        input = { ...input, port: integer(setting, 1, 65_535) };
        break;
      case 'secure':
        input = { ...input, secure: choice(setting, ['disable', 'starttls', 'ldaps'] as const) };
        break;
      case 'ca-cert': {
        // The certificate in base64 (DER), one value as `config show` prints it.
        const value = text(setting);
        input = {
          ...input,
          caCert:
            value === undefined
              ? undefined
              : checkedAt(setting.line, () =>
                  new X509Certificate(Buffer.from(value, 'base64')).toString(),
                ),
        };
        break;
      }
      case 'cnid':
        input = { ...input, cnid: single(setting) };
        break;
      case 'dn':
        input = { ...input, dn: single(setting) };
        break;
      case 'type':
        input = { ...input, type: choice(setting, ['simple', 'regular'] as const) };
        break;
      case 'username':
        input = { ...input, username: text(setting) };
        break;
      case 'password':
        input = {
          ...input,
          passwordEnc: setting.unset
            ? undefined
            : secret(setting, cipher, ldapPasswordAad(entry.name), /^.{1,256}$/),
        };
        break;
      case 'group-member-check':
        input = {
          ...input,
          groupMemberCheck: choice(setting, ['user-attr', 'group-object'] as const),
        };
        break;
      case 'member-attr':
        input = { ...input, memberAttr: single(setting) };
        break;
      case 'email-attr':
        input = { ...input, emailAttr: single(setting) };
        break;
      case 'phone-attr':
        input = { ...input, phoneAttr: single(setting) };
        break;
      case 'timeout':
        input = { ...input, timeoutSeconds: integer(setting, 1, 60) };
        break;
      default:
        invalid(setting.line, `unknown setting "${setting.key}" in "config user ldap"`);
    }
  }
  const server = checkedAt(entry.line, () => newLdapServer(input, cipher, now));
  return async (tx) => {
    await tx.ldapServers.save(server);
  };
}
