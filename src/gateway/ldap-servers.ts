import { TokenwardError } from '../core/errors.js';
import type { LdapServer } from '../store/repositories/ldap-server-repository.js';
import { notFound } from '../store/unique-violation.js';
import { audit, type GatewayContext } from './context.js';
import type { DirectoryVerdict, LdapServerWithSecret } from './directory/ldap-directory.js';
import { type LdapServerInput, ldapPasswordAad, newLdapServer } from './new-ldap-server.js';

/** An LDAP server as shown to admins: everything but the service account's password. */
export type ShownLdapServer = Omit<LdapServer, 'passwordEnc'>;

const shown = ({ passwordEnc: _sealed, ...server }: LdapServer): ShownLdapServer => server;

/** Adds an LDAP server, or replaces the one of that name. */
export async function saveLdapServer(
  ctx: GatewayContext,
  input: LdapServerInput,
  now: number,
): Promise<ShownLdapServer> {
  const server = newLdapServer(input, ctx.cipher, now);
  await ctx.store.transaction(async (tx) => {
    const replaced = await tx.ldapServers.save(server);
    await audit(
      tx,
      { actor: ctx.actor, action: replaced ? 'ldap.replace' : 'ldap.add', subject: server.name },
      now,
    );
  });
  return shown(server);
}

export async function listLdapServers(ctx: GatewayContext): Promise<ShownLdapServer[]> {
  return (await ctx.store.ldapServers.list()).map(shown);
}

/** Removes an LDAP server no user depends on (TW_LDAP_SERVER_IN_USE otherwise). */
export async function removeLdapServer(
  ctx: GatewayContext,
  name: string,
  now: number,
): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    const users = await tx.ldapServers.userCount(name);
    if (users > 0) {
      throw new TokenwardError('TW_LDAP_SERVER_IN_USE', {
        message: `LDAP server "${name}" checks the password of ${users} user(s). Give them another --ldap-server or a local password first.`,
        data: { field: name },
      });
    }
    if (!(await tx.ldapServers.remove(name))) throw notFound(`LDAP server "${name}"`);
    await audit(tx, { actor: ctx.actor, action: 'ldap.remove', subject: name }, now);
  });
}

/** The server with its service account's password, for the directory client. */
export async function ldapServerWithSecret(
  ctx: Pick<GatewayContext, 'store' | 'cipher'>,
  name: string,
): Promise<LdapServerWithSecret | undefined> {
  const stored = await ctx.store.ldapServers.find(name);
  if (stored === undefined) return undefined;
  const { passwordEnc, ...server } = stored;
  return {
    ...server,
    password:
      passwordEnc === null
        ? null
        : Buffer.from(ctx.cipher.decrypt(passwordEnc, ldapPasswordAad(server.name))).toString(),
  };
}

/** `gateway ldap test`: which host answers, and with a probe whether it takes that password. */
export async function testLdapServer(
  ctx: GatewayContext,
  name: string,
  probe?: { readonly username: string; readonly password: string },
): Promise<{ host: string; password?: DirectoryVerdict }> {
  const server = await ldapServerWithSecret(ctx, name);
  if (server === undefined) throw notFound(`LDAP server "${name}"`);
  return ctx.directory.test(server, probe);
}
