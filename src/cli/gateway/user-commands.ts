import { TWO_FACTORS } from '../../core/login-terms.js';
import { command, listing, type Output, parseChoice } from '../command.js';
import { secretFromStdin } from '../stdin-secret.js';
import { gatewayAction, type Options, twoFactorOption } from './gateway-action.js';

/** An option's value when given, for a spread: `...optional(options, 'email')`. */
const optional = <K extends string>(options: Options, key: K, as: string = key) =>
  options[key] === undefined ? {} : { [as]: String(options[key]) };

/** `gateway user ...`: local users. */
export function userCommands(output: Output) {
  const user = command('user', 'local users');
  user.addCommand(
    gatewayAction(
      'add',
      'add a user; with a token, the activation goes out at once',
      async ({ gateway }, args, options) => {
        // A directory user has no local password: the LDAP server checks it.
        const password =
          options.ldapServer === undefined
            ? await secretFromStdin(options.passwordStdin, '--password-stdin')
            : undefined;
        const twoFactor = twoFactorOption(options, output);
        const added = await gateway.addUser({
          name: args[0] ?? '',
          ...(password === undefined ? {} : { password }),
          ...optional(options, 'ldapServer'),
          ...optional(options, 'email'),
          ...optional(options, 'sms'),
          ...(twoFactor === undefined ? {} : { twoFactor }),
          ...optional(options, 'token'),
        });
        output.out(
          `User ${added.name} added${added.token === null ? '' : ` with token ${added.token}; activation sent by ${added.delivered}`}.`,
        );
      },
    )
      .argument('<name>', 'the user name')
      .option('--password-stdin', 'read the password from standard input')
      .option('--ldap-server <name>', 'no local password: this LDAP server checks it')
      .option('--email <address>', 'where activation e-mails go')
      .option('--sms <phone>', 'where activation SMS go')
      .option(
        '--two-factor <method>',
        `${TWO_FACTORS.join(', ')} (default: fortitoken with a token)`,
      )
      .option('--no-two-factor', 'a password alone logs this user in (refused unless asked for)')
      .option('--token <serial|auto>', 'assign this token, or a free one of the licences'),
  );
  user.addCommand(
    gatewayAction('list', 'list users', async ({ gateway }, _args, options) => {
      output.out(
        listing(
          await gateway.listUsers(),
          options.json,
          ['USER', 'TWO-FACTOR', 'TOKEN', 'E-MAIL', 'STATUS', 'LOCKED'],
          (u) => [
            u.name,
            u.twoFactor,
            u.tokenSerial,
            u.email,
            u.status,
            u.lockedAt === null ? 'no' : 'yes',
          ],
        ),
      );
    }).option('--json', 'print JSON'),
  );
  user.addCommand(
    gatewayAction('show', 'show one user', async ({ gateway }, args) => {
      output.out(JSON.stringify(await gateway.showUser(args[0] ?? ''), null, 2));
    }).argument('<name>', 'the user name'),
  );
  user.addCommand(
    gatewayAction(
      'set',
      'change a user; a newly assigned token gets its activation sent',
      async ({ gateway }, args, options) => {
        const twoFactor = twoFactorOption(options, output);
        const status =
          options.status === undefined
            ? undefined
            : parseChoice('--status', options.status, ['enable', 'disable'] as const);
        const orNone = (key: string) =>
          options[key] === undefined
            ? {}
            : { [key]: String(options[key]) === 'none' ? null : String(options[key]) };
        const changed = await gateway.setUser(args[0] ?? '', {
          ...orNone('email'),
          ...orNone('sms'),
          ...(twoFactor === undefined ? {} : { twoFactor }),
          ...(status === undefined ? {} : { status }),
          ...optional(options, 'token'),
        });
        output.out(
          `User ${changed.name} changed${changed.delivered === undefined ? '' : `; activation for ${changed.token} sent by ${changed.delivered}`}.`,
        );
      },
    )
      .argument('<name>', 'the user name')
      .option('--email <address|none>', 'activation e-mail address')
      .option('--sms <phone|none>', 'activation SMS number')
      .option('--two-factor <method>', TWO_FACTORS.join(', '))
      .option('--status <status>', 'enable or disable')
      .option('--token <serial|auto|none>', 'assign a token (provisioned at once), or none'),
  );
  user.addCommand(
    gatewayAction('delete', 'delete a user', async ({ gateway }, args) => {
      await gateway.deleteUser(args[0] ?? '');
      output.out(`User ${args[0]} deleted.`);
    }).argument('<name>', 'the user name'),
  );
  user.addCommand(
    gatewayAction('unlock', 'clear a lockout and the failure count', async ({ gateway }, args) => {
      await gateway.unlockUser(args[0] ?? '');
      output.out(`User ${args[0]} unlocked.`);
    }).argument('<name>', 'the user name'),
  );
  return user;
}
