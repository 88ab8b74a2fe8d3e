import type { ConfigEntry, ConfigSection } from '../protocol/fortios/config-document.js';
import type { GroupMatch } from '../store/repositories/user-group-repository.js';
import type { GatewayRepositories } from '../store/store.js';
import { checkedAt, choice, invalid, single } from './config-values.js';
import { newUserGroup, type UserGroupInput } from './new-user-group.js';

type Change = (tx: GatewayRepositories) => Promise<void>;

/** What a document defines before its groups: they may name these before they are stored. */
export interface DefinedNames {
  readonly users: ReadonlySet<string>;
  readonly ldapServers: ReadonlySet<string>;
  readonly licences: ReadonlySet<string>;
}

/**
 * One `edit` of `config user group`, checked as `gateway group add` checks it: FortiOS's
 * `member` and `config match` (`server-name`, `group-name`), and ours (`radius-attributes`,
 * `auto-enrol`, `licence`, `two-factor`). An entry replaces the group of its name whole.
 */
export async function userGroupEntry(
  store: Pick<GatewayRepositories, 'users' | 'ldapServers' | 'fortitokens'>,
  entry: ConfigEntry,
  defined: DefinedNames,
  now: number,
): Promise<Change> {
  let input: UserGroupInput = { name: entry.name };
  for (const setting of entry.settings) {
    const values = setting.unset ? [] : setting.values.map((value) => value.text);
    switch (setting.key) {
      case 'member':
        for (const name of values) {
          if (!defined.users.has(name) && (await store.users.find(name)) === undefined) {
            invalid(setting.line, `there is no user "${name}" (config user local)`);
          }
        }
        input = { ...input, members: values };
        break;
      case 'radius-attributes':
        input = { ...input, radiusAttributes: values };
        break;
      case 'auto-enrol':
        input = {
          ...input,
          autoEnrol: choice(setting, ['enable', 'disable'] as const) === 'enable',
        };
        break;
      case 'licence': {
        const licence = setting.unset ? undefined : single(setting);
        if (
          licence !== undefined &&
          !defined.licences.has(licence) &&
          (await store.fortitokens.list({ licence })).length === 0
        ) {
          invalid(
            setting.line,
            `no token of licence "${licence}" is here (config user fortitoken)`,
          );
        }
        input = { ...input, ...(licence === undefined ? {} : { licence }) };
        break;
      }
      case 'two-factor':
        input = { ...input, twoFactor: choice(setting, ['enable', 'disable'] as const) };
        break;
      default:
        invalid(setting.line, `unknown setting "${setting.key}" in "config user group"`);
    }
  }
  const matches: GroupMatch[] = [];
  for (const section of entry.subsections ?? []) {
    if (section.path !== 'match') {
      invalid(section.line, `"config ${section.path}" is not a table of "config user group"`);
    }
    for (const match of matchEntries(section)) {
      if (
        !defined.ldapServers.has(match.server) &&
        (await store.ldapServers.find(match.server)) === undefined
      ) {
        invalid(match.line, `there is no LDAP server "${match.server}" (config user ldap)`);
      }
      matches.push({ server: match.server, group: match.group });
    }
  }
  const group = checkedAt(entry.line, () => newUserGroup({ ...input, matches }, now));
  return async (tx) => {
    await tx.userGroups.save(group);
  };
}

function matchEntries(section: ConfigSection) {
  return section.entries.map((entry) => {
    let server: string | undefined;
    let group: string | undefined;
    for (const setting of entry.settings) {
      if (setting.key === 'server-name') server = single(setting);
      else if (setting.key === 'group-name') group = single(setting);
      else invalid(setting.line, `unknown setting "${setting.key}" in "config match"`);
    }
    if (server === undefined || group === undefined) {
      invalid(entry.line, `match "${entry.name}" needs "set server-name" and "set group-name"`);
    }
    return { server, group, line: entry.line };
  });
}
