import { TokenwardError } from '../../core/errors.js';
import { readInputFile } from '../../fs/read-input-file.js';
import { command, type Output, parseChoice, parseInteger, table } from '../command.js';
import { secretFromStdin } from '../stdin-secret.js';
import { gatewayAction, type Options } from './gateway-action.js';

const text = (options: Options, key: string) =>
  options[key] === undefined ? undefined : String(options[key]);

/** `gateway ldap add|list|test|sync|remove`: the directories that check users' passwords. */
export function ldapCommands(output: Output) {
  const ldap = command('ldap', 'LDAP servers (config user ldap) that check users\u2019 passwords');
  ldap.addCommand(
    gatewayAction(
      'add',
      'add (or replace) an LDAP server; the service account password comes on standard input',
      async ({ gateway }, args, options) => {
        const server = await gateway.saveLdapServer({
          name: args[0] ?? '',
          server: String(options.server),
          secondaryServer: text(options, 'secondaryServer'),
          tertiaryServer: text(options, 'tertiaryServer'),
          port:
            options.port === undefined
              ? undefined
              : parseInteger('--port', options.port, 1, 65_535),
          secure: parseChoice('--secure', options.secure, [
            'disable',
            'starttls',
            'ldaps',
          ] as const),
          caCert:
            options.caCert === undefined
              ? undefined
              : await readInputFile(String(options.caCert), 64 * 1024),
          cnid: text(options, 'cnid'),
          dn: String(options.dn),
          type: parseChoice('--type', options.type, ['simple', 'regular'] as const),
          username: text(options, 'username'),
          password:
            options.passwordStdin === true
              ? await secretFromStdin(true, '--password-stdin')
              : undefined,
          groupMemberCheck: parseChoice('--group-member-check', options.groupMemberCheck, [
            'user-attr',
            'group-object',
          ] as const),
          memberAttr: text(options, 'memberAttr'),
          emailAttr: text(options, 'emailAttr'),
          phoneAttr: text(options, 'phoneAttr'),
          timeoutSeconds:
            options.timeout === undefined
              ? undefined
              : parseInteger('--timeout', options.timeout, 1, 60),
        });
        output.out(
          `LDAP server ${server.name}: ${[server.server, server.secondaryServer, server.tertiaryServer].filter((h) => h !== null).join(', ')} port ${server.port}, secure ${server.secure}, ${server.type} bind, ${server.cnid}=<user> under ${server.dn}.`,
        );
      },
    )
      .argument('<name>', 'a name for the server, e.g. corp')
      .requiredOption('--server <host>', 'the directory host')
      .option('--secondary-server <host>', 'tried when the server does not answer')
      .option('--tertiary-server <host>', 'tried when the secondary does not answer')
      .option('--port <port>', 'LDAP port (389, or 636 with ldaps)')
      .option('--secure <mode>', 'disable, starttls or ldaps', 'disable')
      .option('--ca-cert <file>', 'PEM file of the CA that signed the server certificate')
      .option('--cnid <attribute>', 'the attribute that names a user (cn, uid, sAMAccountName)')
      .requiredOption('--dn <base>', 'where users are, e.g. ou=people,dc=example,dc=com')
      .option('--type <type>', 'simple (bind as cnid=user,dn) or regular (search first)', 'simple')
      .option('--username <dn>', 'regular: the service account that searches')
      .option('--password-stdin', 'regular: read the service account password from standard input')
      .option('--group-member-check <how>', 'user-attr or group-object', 'user-attr')
      .option('--member-attr <attribute>', 'group membership attribute (default memberOf)')
      .option('--email-attr <attribute>', 'the e-mail attribute (default mail)')
      .option('--phone-attr <attribute>', 'the mobile phone attribute (default mobile)')
      .option('--timeout <seconds>', 'per operation, 1-60 (default 5)'),
  );
  ldap.addCommand(
    gatewayAction(
      'list',
      'list LDAP servers (never the service account password)',
      async ({ gateway }) => {
        output.out(
          table(
            ['NAME', 'SERVERS', 'PORT', 'SECURE', 'TYPE', 'CNID', 'DN'],
            (await gateway.listLdapServers()).map((s) => [
              s.name,
              [s.server, s.secondaryServer, s.tertiaryServer].filter((h) => h !== null).join(','),
              String(s.port),
              s.secure,
              s.type,
              s.cnid,
              s.dn,
            ]),
          ),
        );
      },
    ),
  );
  ldap.addCommand(
    gatewayAction(
      'test',
      'connect to the server (and its secondaries); with --user, check that user\u2019s password',
      async ({ gateway }, args, options) => {
        const probe =
          options.user === undefined
            ? undefined
            : {
                username: String(options.user),
                password: await secretFromStdin(options.passwordStdin, '--password-stdin'),
              };
        const result = await gateway.testLdapServer(args[0] ?? '', probe);
        output.out(`LDAP server ${args[0] ?? ''}: ${result.host} answered.`);
        if (probe === undefined) return;
        if (result.password !== 'right') {
          throw new TokenwardError('TW_AUTH_REJECTED', {
            message: `The directory refused the password of ${probe.username} (or has no such user).`,
          });
        }
        output.out(`The password of ${probe.username} is right.`);
      },
    )
      .argument('<name>', 'the LDAP server')
      .option('--user <name>', 'a user whose password to check')
      .option('--password-stdin', 'read that user\u2019s password from standard input'),
  );
  ldap.addCommand(syncCommand(output));
  ldap.addCommand(
    gatewayAction(
      'remove',
      'remove an LDAP server no user depends on',
      async ({ gateway }, args) => {
        await gateway.removeLdapServer(args[0] ?? '');
        output.out(`LDAP server ${args[0] ?? ''} removed.`);
      },
    ).argument('<name>', 'the LDAP server'),
  );
  return ldap;
}

/** `gateway ldap sync`: the auto-enrol groups synced now; a held sync exits with its code. */
function syncCommand(output: Output) {
  return gatewayAction(
    'sync',
    'sync the auto-enrol groups with the directory now: tokens for new members, revocations for those gone',
    async ({ gateway }, _args, options) => {
      const report = await gateway.syncDirectory({
        confirmRemovals: options.confirmRemovals === true,
      });
      output.out(
        `Directory sync: ${report.added.length} added, ${report.kept} kept, ${report.leaving.length} leaving (grace period begun), ${report.removed.length} removed, ${report.failed.length} failed.`,
      );
      for (const failure of report.failed) {
        output.out(`  ${failure.subject}: ${failure.reason} (${failure.code})`);
      }
      if (report.held !== undefined) {
        throw new TokenwardError('TW_DIRECTORY_SYNC_HELD', {
          message: `${report.held.gone} of ${report.held.enrolled} enrolled users are gone from the directory, more than directory-removal-limit (${report.held.limitPercent}%) allows: nobody was removed. Check the directory groups; if they are right: npx tokenward gateway ldap sync --confirm-removals`,
        });
      }
    },
  ).option(
    '--confirm-removals',
    'go ahead even when more enrolled users are gone than directory-removal-limit allows',
  );
}
