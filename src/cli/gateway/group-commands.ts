import { TokenwardError } from '../../core/errors.js';
import { command, type Output, table } from '../command.js';
import { gatewayAction } from './gateway-action.js';

/** A repeatable option's values (commander's collector). */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** `--match SERVER:GROUP-DN`: the LDAP server's name, then the directory group's DN. */
function parseMatch(text: string): { server: string; group: string } {
  const at = text.indexOf(':');
  if (at <= 0) {
    throw new TokenwardError('TW_OPTION_INVALID', {
      message: `--match takes SERVER:GROUP-DN, e.g. corp:cn=vpn,ou=groups,dc=example,dc=com (got "${text.slice(0, 60)}").`,
      data: { field: '--match' },
    });
  }
  return { server: text.slice(0, at), group: text.slice(at + 1) };
}

/** `gateway group add|list|remove`: user groups (config user group) and what they get. */
export function groupCommands(output: Output) {
  const group = command('group', 'user groups: local members, directory groups, RADIUS replies');
  group.addCommand(
    gatewayAction('add', 'add (or replace) a user group', async ({ gateway }, args, options) => {
      const saved = await gateway.saveUserGroup({
        name: args[0] ?? '',
        members: (options.member as string[] | undefined) ?? [],
        matches: ((options.match as string[] | undefined) ?? []).map(parseMatch),
        radiusAttributes: (options.radiusAttribute as string[] | undefined) ?? [],
        autoEnrol: options.autoEnrol === true,
        ...(options.licence === undefined ? {} : { licence: String(options.licence) }),
        twoFactor: options.twoFactor === false ? 'disable' : 'enable',
      });
      output.out(
        `Group ${saved.name}: ${saved.members.length} member(s), ${saved.matches.length} directory match(es), ${saved.radiusAttributes.length} RADIUS reply attribute(s)${saved.autoEnrol ? ', auto-enrol' : ''}${saved.twoFactor === 'disable' ? ', no second factor (break-glass)' : ''}.`,
      );
      if (saved.autoEnrol) {
        output.out('Members get their token at the next sync: npx tokenward gateway ldap sync');
      }
    })
      .argument('<name>', 'the group name')
      .option('--member <user>', 'a local user (repeat for more)', collect)
      .option('--match <server:group-dn>', 'members of this directory group (repeat)', collect)
      .option(
        '--radius-attribute <name=value>',
        'sent in every Access-Accept of a member: Filter-Id, Class, Fortinet-Group-Name, ... (repeat)',
        collect,
      )
      .option(
        '--auto-enrol',
        'give every member of the --match groups a local entry, a token and the activation (gateway ldap sync)',
      )
      .option('--licence <licence>', 'auto-enrol: take the tokens from this licence only')
      .option(
        '--no-two-factor',
        'members log in with the first factor alone (break-glass; every such login is logged as a warning)',
      ),
  );
  group.addCommand(
    gatewayAction('list', 'list user groups', async ({ gateway }) => {
      output.out(
        table(
          ['NAME', 'MEMBERS', 'MATCHES', 'RADIUS-ATTRIBUTES', 'AUTO-ENROL', 'TWO-FACTOR'],
          (await gateway.listUserGroups()).map((g) => [
            g.name,
            g.members.join(','),
            g.matches.map((m) => `${m.server}:${m.group}`).join(' '),
            g.radiusAttributes.join(' '),
            g.autoEnrol ? (g.licence ?? 'any licence') : 'no',
            g.twoFactor,
          ]),
        ),
      );
    }),
  );
  group.addCommand(
    gatewayAction('remove', 'remove a user group', async ({ gateway }, args) => {
      await gateway.removeUserGroup(args[0] ?? '');
      output.out(`Group ${args[0] ?? ''} removed.`);
    }).argument('<name>', 'the group'),
  );
  return group;
}
