import { CONSOLE_ROLES } from '../../core/console-role.js';
import { OTP_MODES } from '../../core/login-terms.js';
import { warningCatalog } from '../../core/warnings.js';
import { command, type Output, parseChoice, table } from '../command.js';
import { secretFromStdin } from '../stdin-secret.js';
import { gatewayAction } from './gateway-action.js';

/** `gateway console-admin`: the console's admin account. */
export function consoleAdminCommand(output: Output) {
  return gatewayAction(
    'console-admin',
    "add a console admin or set an admin's password (from standard input) and role",
    async ({ gateway }, _args, options) => {
      const password = await secretFromStdin(options.passwordStdin, '--password-stdin');
      const name = String(options.name);
      const role =
        options.role === undefined ? undefined : parseChoice('--role', options.role, CONSOLE_ROLES);
      await gateway.saveConsoleAdmin({
        name,
        password,
        passwordField: '--password-stdin',
        ...(role === undefined ? {} : { role }),
      });
      output.out(`Console admin ${name} set.`);
    },
  )
    .option('--name <name>', 'the admin name', 'admin')
    .option('--role <role>', 'super, helpdesk or read-only (a new admin: super)')
    .option('--password-stdin', 'read the password from standard input');
}

/** `gateway radius-client add|list|remove`: the NAS that may send RADIUS. */
export function radiusClientCommands(output: Output) {
  const radiusClient = command('radius-client', 'the NAS and VPN concentrators that send RADIUS');
  radiusClient.addCommand(
    gatewayAction(
      'add',
      'add (or replace) a RADIUS client: a source address or CIDR block and its shared secret',
      async ({ gateway }, args, options) => {
        const secret = await secretFromStdin(options.secretStdin, '--secret-stdin');
        if (secret.length < 16) {
          output.err(
            `Warning TW_WARN_RADIUS_SECRET_SHORT: ${warningCatalog.TW_WARN_RADIUS_SECRET_SHORT}`,
          );
        }
        const client = await gateway.saveRadiusClient({
          name: args[0] ?? '',
          address: String(options.address),
          secret,
          messageAuthenticator: parseChoice(
            '--message-authenticator',
            options.messageAuthenticator,
            ['require', 'optional'] as const,
          ),
          otpMode: parseChoice('--otp-mode', options.otpMode, OTP_MODES),
          allowedGroups: (options.allowGroup as string[] | undefined) ?? [],
        });
        output.out(
          `RADIUS client ${client.name}: ${client.address}, otp-mode ${client.otpMode}, Message-Authenticator ${client.messageAuthenticator}.`,
        );
        if (client.messageAuthenticator === 'optional') {
          output.err(
            `Warning TW_WARN_RADIUS_MESSAGE_AUTHENTICATOR_OPTIONAL: ${warningCatalog.TW_WARN_RADIUS_MESSAGE_AUTHENTICATOR_OPTIONAL}`,
          );
        }
      },
    )
      .argument('<name>', 'a name for the client, e.g. vpn1')
      .requiredOption(
        '--address <ip-or-cidr>',
        'where its requests come from, e.g. 10.0.0.1 or 10.0.0.0/24',
      )
      .option('--secret-stdin', 'read the shared secret from standard input')
      .option('--message-authenticator <mode>', 'require (default) or optional', 'require')
      .option(
        '--otp-mode <mode>',
        'challenge, append, both, or token (the NAS checked the password; only the code comes)',
        'both',
      )
      .option(
        '--allow-group <group>',
        'only members of this user group log in through it (repeat; default: everyone)',
        (value: string, previous: string[] = []) => [...previous, value],
      ),
  );
  radiusClient.addCommand(
    gatewayAction('list', 'list RADIUS clients (never their secrets)', async ({ gateway }) => {
      output.out(
        table(
          ['NAME', 'ADDRESS', 'OTP-MODE', 'MESSAGE-AUTHENTICATOR'],
          (await gateway.listRadiusClients()).map((c) => [
            c.name,
            c.address,
            c.otpMode,
            c.messageAuthenticator,
          ]),
        ),
      );
    }),
  );
  radiusClient.addCommand(
    gatewayAction('remove', 'remove a RADIUS client', async ({ gateway }, args) => {
      await gateway.removeRadiusClient(args[0] ?? '');
      output.out(`RADIUS client ${args[0] ?? ''} removed.`);
    }).argument('<name>', 'the client'),
  );
  return radiusClient;
}
