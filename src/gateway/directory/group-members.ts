import { type Client, type Entry, EqualityFilter, ResultCodeError } from 'ldapts';
import type { LdapServer } from '../../store/repositories/ldap-server-repository.js';

/** What of an LDAP server reading a group's members needs. */
type MemberSearch = Pick<
  LdapServer,
  'dn' | 'cnid' | 'emailAttr' | 'phoneAttr' | 'groupMemberCheck' | 'memberAttr'
>;

/** A member of a directory group, as the directory sync enrols them. */
export interface DirectoryMember {
  /** The value of the server's `cnid` attribute: the name they log in with. */
  readonly name: string;
  readonly dn: string;
  readonly email: string | null;
  readonly phone: string | null;
  /** Active Directory's userAccountControl ACCOUNTDISABLE bit (0x2) is set. */
  readonly disabled: boolean;
}

/** AD's account flags; bit 0x2 is ACCOUNTDISABLE (MS-ADTS section 2.2.16). */
const USER_ACCOUNT_CONTROL = 'userAccountControl';
const ACCOUNT_DISABLE = 0x2;
/** Member entries read at once when the group lists DNs (group-object). */
const READS_AT_ONCE = 16;
const PAGE_SIZE = 500;

/**
 * The members of a directory group on a bound connection, per the server's group-member-check:
 * `user-attr` searches the users under `dn` whose member attribute (memberOf) names the group,
 * one paged search; `group-object` reads the group's member attribute and then each member.
 * Members without the `cnid` attribute have no name to log in with and are left out.
 */
export async function listGroupMembers(
  client: Client,
  server: MemberSearch,
  groupDn: string,
): Promise<DirectoryMember[]> {
  const attributes = [server.cnid, server.emailAttr, server.phoneAttr, USER_ACCOUNT_CONTROL];
  if (server.groupMemberCheck === 'user-attr') {
    const { searchEntries } = await client.search(server.dn, {
      scope: 'sub',
      filter: new EqualityFilter({ attribute: server.memberAttr, value: groupDn }),
      attributes,
      paged: { pageSize: PAGE_SIZE },
    });
    return searchEntries.flatMap((entry) => member(entry, server));
  }
  const group = await readEntry(client, groupDn, [server.memberAttr]);
  if (group === undefined) return [];
  const dns = values(group, server.memberAttr);
  const members: DirectoryMember[] = [];
  for (let at = 0; at < dns.length; at += READS_AT_ONCE) {
    const entries = await Promise.all(
      dns.slice(at, at + READS_AT_ONCE).map((dn) => readEntry(client, dn, attributes)),
    );
    for (const entry of entries) if (entry !== undefined) members.push(...member(entry, server));
  }
  return members;
}

/** One entry by DN; undefined when it does not exist or is hidden from the service account. */
async function readEntry(
  client: Client,
  dn: string,
  attributes: string[],
): Promise<Entry | undefined> {
  try {
    const { searchEntries } = await client.search(dn, { scope: 'base', attributes });
    return searchEntries[0];
  } catch (error) {
    if (error instanceof ResultCodeError) return undefined;
    throw error;
  }
}

function member(entry: Entry, server: MemberSearch): DirectoryMember[] {
  const name = values(entry, server.cnid)[0];
  if (name === undefined || name === '') return [];
  const flags = Number(values(entry, USER_ACCOUNT_CONTROL)[0] ?? 0);
  return [
    {
      name,
      dn: entry.dn,
      email: values(entry, server.emailAttr)[0] ?? null,
      phone: values(entry, server.phoneAttr)[0] ?? null,
      disabled: (flags & ACCOUNT_DISABLE) !== 0,
    },
  ];
}

/** An attribute's values as strings (attribute names match without case, RFC 4512 section 2.5). */
function values(entry: Entry, attribute: string): string[] {
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const value = key === undefined ? undefined : entry[key];
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.toString());
}
