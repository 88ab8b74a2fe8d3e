import { userInfo } from 'node:os';
import type { Command } from 'commander';
import type { Logger } from 'pino';
import { TokenwardError } from '../core/errors.js';
import { parseHttpUrl } from '../core/http-url.js';
import { checkPasswordPolicy, PASSWORD_MIN_LENGTH } from '../core/password-policy.js';
import { TOKEN_STATES, type TokenState } from '../core/token-state.js';
import { warningCatalog } from '../core/warnings.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import { hashPassword } from '../crypto/password-hash.js';
import { readInputFile } from '../fs/read-input-file.js';
import type { AuthEngine } from '../gateway/auth/auth-engine.js';
import { importConfig } from '../gateway/config-import.js';
import { configSections } from '../gateway/config-show.js';
import { CONSOLE_ADMIN_KEY } from '../gateway/console/console-sign-in.js';
import { createConfiguredNotifier, MAIL_KEY, SMS_KEY } from '../gateway/delivery-settings.js';
import type { Gateway } from '../gateway/gateway.js';
import { createGatewayNode } from '../gateway/gateway-node.js';
import { buildGatewayServer } from '../gateway/http/server.js';
import { startPollLoop } from '../gateway/poll-loop.js';
import { newRadiusClient } from '../gateway/radius/new-radius-client.js';
import { createRadiusServer, DEFAULT_RADIUS_PORT } from '../gateway/radius/radius-server.js';
import { createLogger } from '../log/create-logger.js';
import { formatConfig } from '../protocol/fortios/config-document.js';
import { openSealedStore } from '../store/open-sealed-store.js';
import type { AuthResult, TwoFactor } from '../store/schema.js';
import type { Store } from '../store/store.js';
import { interactiveLogin } from './auth-command.js';
import {
  command,
  isoTime,
  listing,
  type Output,
  parseInteger,
  parseLogLevel,
  table,
} from './command.js';
import { type DataOptions, databaseUrl, parseListen, withDataOptions } from './data-options.js';
import { serveUntilStopped } from './serve-until-stopped.js';
import { readFirstLine, secretFrom, secretFromStdin } from './stdin-secret.js';

/** A configuration file bigger than this is not one (the largest real ones are kilobytes). */
const MAX_CONFIG_BYTES = 4 * 1024 * 1024;

const TWO_FACTORS: readonly TwoFactor[] = ['disable', 'fortitoken', 'email', 'sms'];
const AUTH_RESULTS: readonly AuthResult[] = ['accept', 'reject', 'challenge'];

/** What a gateway command works with, opened for it and closed after it. */
interface GatewayNode {
  readonly store: Store;
  readonly cipher: AtRestCipher;
  readonly auth: AuthEngine;
  readonly log: Logger;
}

type GatewayAction = (
  gateway: Gateway,
  args: string[],
  options: Record<string, unknown>,
  node: GatewayNode,
) => Promise<void>;

/** `tokenward gateway ...`: the gateway next to the VPN (users, tokens, activation, polling). */
export function gatewayCommand(output: Output) {
  const gatewayCmd = command(
    'gateway',
    'the gateway: users, tokens, activation, polling, diagnostics',
  );

  /** A command that opens the store and the gateway, runs one action and closes again. */
  const action = (name: string, description: string, run: GatewayAction): Command =>
    withNodeOption(name, withDataOptions(command(name, description))).action(
      async (...received: unknown[]) => {
        const cmd = received.at(-1) as { args: string[]; opts(): Record<string, unknown> };
        const options = cmd.opts() as DataOptions & Record<string, unknown>;
        const { store, cipher } = await openSealedStore({
          dataDir: options.data,
          fromEnvironment: process.env.TOKENWARD_MASTER_KEY,
          databaseUrl: databaseUrl(options),
          now: Date.now(),
        });
        try {
          const log = createLogger({
            level:
              options.logLevel === undefined ? 'warn' : parseLogLevel(String(options.logLevel)),
          });
          const notifier = createConfiguredNotifier(store, cipher);
          const { gateway, auth } = createGatewayNode({
            store,
            cipher,
            log,
            notifier,
            ...(options.serial === undefined ? {} : { serial: String(options.serial) }),
            ...(options.provisioner === undefined
              ? {}
              : { provisionerUrl: String(options.provisioner) }),
          });
          await run(gateway, cmd.args, options, { store, cipher, auth, log });
        } finally {
          await store.close();
        }
      },
    );

  gatewayCmd.addCommand(
    action(
      'enroll',
      "store this gateway's provisioner credential (encrypted) and check it",
      async (gateway, _args, options) => {
        const secret = await secretFrom(
          {
            stdin: options.secretStdin,
            argument: options.secret,
            environment: process.env.TOKENWARD_GATEWAY_SECRET,
          },
          {
            stdin: '--secret-stdin',
            argument: '--secret',
            environment: 'TOKENWARD_GATEWAY_SECRET',
          },
          output,
        );
        if (secret === undefined) {
          throw new TokenwardError('TW_INPUT_INVALID', {
            message:
              'Give the secret `provisioner gateway add` printed on standard input: echo "$SECRET" | tokenward gateway enroll ... --secret-stdin (or set TOKENWARD_GATEWAY_SECRET).',
            data: { field: '--secret-stdin' },
          });
        }
        const enrolled = await gateway.enroll({
          provisionerUrl: parseHttpUrl(String(options.provisioner), '--provisioner'),
          serial: String(options.serial),
          secret,
          clusterSerials: (options.clusterSerial as string[] | undefined) ?? [],
        });
        output.out(
          `Gateway ${enrolled.serial} enrolled with ${enrolled.provisionerUrl}; the token server is reachable.`,
        );
      },
    )
      .requiredOption('--provisioner <url>', 'the provisioning service URL')
      .requiredOption('--serial <sn>', "this gateway's serial, as enrolled at the provisioner")
      .option(
        '--secret-stdin',
        'read the secret `provisioner gateway add` printed from standard input',
      )
      .option(
        '--secret <secret>',
        'the secret as an argument (visible to other users: prefer --secret-stdin)',
      )
      .option('--cluster-serial <sn...>', 'serials of the other gateways of this cluster'),
  );

  const license = command('license', 'import licences');
  license.addCommand(
    action(
      'import',
      'import a licence (0000-0000-0000-0000-0000 for the trial)',
      async (gateway, args) => {
        const imported = await gateway.importLicence(args[0] ?? '');
        output.out(
          `Licence ${imported.licence}: ${imported.serials.length} tokens (${imported.serials.join(', ')}).`,
        );
      },
    ).argument('<code>', 'the licence code'),
  );
  gatewayCmd.addCommand(license);

  const user = command('user', 'local users');
  user.addCommand(
    action(
      'add',
      'add a user; with a token, the activation goes out at once',
      async (gateway, args, options) => {
        const password = await secretFromStdin(options.passwordStdin, '--password-stdin');
        const twoFactor = twoFactorOption(options, output);
        const added = await gateway.addUser({
          name: args[0] ?? '',
          password,
          ...(options.email === undefined ? {} : { email: String(options.email) }),
          ...(options.sms === undefined ? {} : { sms: String(options.sms) }),
          ...(twoFactor === undefined ? {} : { twoFactor }),
          ...(options.token === undefined ? {} : { token: String(options.token) }),
        });
        output.out(
          `User ${added.name} added${added.token === null ? '' : ` with token ${added.token}; activation sent by ${added.delivered}`}.`,
        );
      },
    )
      .argument('<name>', 'the user name')
      .option('--password-stdin', 'read the password from standard input')
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
    action('list', 'list users', async (gateway, _args, options) => {
      const users = await gateway.listUsers();
      output.out(
        listing(
          users,
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
    action('show', 'show one user', async (gateway, args) => {
      output.out(JSON.stringify(await gateway.showUser(args[0] ?? ''), null, 2));
    }).argument('<name>', 'the user name'),
  );
  user.addCommand(
    action(
      'set',
      'change a user; a newly assigned token gets its activation sent',
      async (gateway, args, options) => {
        const twoFactor = twoFactorOption(options, output);
        const status =
          options.status === undefined
            ? undefined
            : parseChoice('--status', String(options.status), ['enable', 'disable'] as const);
        const orNull = (value: unknown) => (String(value) === 'none' ? null : String(value));
        const changed = await gateway.setUser(args[0] ?? '', {
          ...(options.email === undefined ? {} : { email: orNull(options.email) }),
          ...(options.sms === undefined ? {} : { sms: orNull(options.sms) }),
          ...(twoFactor === undefined ? {} : { twoFactor }),
          ...(status === undefined ? {} : { status }),
          ...(options.token === undefined ? {} : { token: String(options.token) }),
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
    action('delete', 'delete a user', async (gateway, args) => {
      await gateway.deleteUser(args[0] ?? '');
      output.out(`User ${args[0]} deleted.`);
    }).argument('<name>', 'the user name'),
  );
  user.addCommand(
    action('unlock', 'clear a lockout and the failure count', async (gateway, args) => {
      await gateway.unlockUser(args[0] ?? '');
      output.out(`User ${args[0]} unlocked.`);
    }).argument('<name>', 'the user name'),
  );
  gatewayCmd.addCommand(user);

  const token = command('token', 'tokens: list, provision, resend, revoke, poll');
  token.addCommand(
    action('list', 'list tokens', async (gateway, _args, options) => {
      const state =
        options.state === undefined
          ? undefined
          : parseChoice('--state', String(options.state), TOKEN_STATES);
      const tokens = (await gateway.listTokens(state as TokenState | undefined)).map((t) => ({
        serial: t.serial,
        licence: t.licence,
        status: t.status,
        state: t.state,
        regId: t.regId,
        osVer: t.osVer,
        activationExpire:
          t.activationExpiresAt === null ? null : Math.floor(t.activationExpiresAt / 1000),
      }));
      output.out(
        listing(
          tokens,
          options.json,
          ['SERIAL', 'LICENCE', 'STATE', 'REG-ID', 'OS-VER', 'ACTIVATION EXPIRES'],
          (t) => [
            t.serial,
            t.licence,
            t.state,
            t.regId,
            t.osVer,
            isoTime(t.activationExpire === null ? null : t.activationExpire * 1000),
          ],
        ),
      );
    })
      .option('--state <state>', `only tokens in this state (${TOKEN_STATES.join(', ')})`)
      .option('--json', 'print JSON'),
  );
  token.addCommand(
    action(
      'show',
      'show one token (never its seed; its live code only with --reveal-code)',
      async (gateway, args, options) => {
        output.out(JSON.stringify(await gateway.showToken(args[0] ?? ''), null, 2));
        if (options.revealCode === true) {
          const code = await gateway.revealActivationCode(
            args[0] ?? '',
            `cli:${userInfo().username}`,
          );
          output.out(`Activation code (audited): ${code}`);
        }
      },
    )
      .argument('<serial>', 'the token serial')
      .option(
        '--reveal-code',
        'also print the live activation code (audited), to read it out to the user',
      ),
  );
  token.addCommand(
    action('assign', 'assign a token to a user and send the activation', async (gateway, args) => {
      const changed = await gateway.setUser(args[1] ?? '', { token: args[0] ?? '' });
      output.out(
        `Token ${changed.token} assigned to ${changed.name}; activation sent by ${changed.delivered}.`,
      );
    })
      .argument('<serial>', 'the token serial')
      .argument('<user>', 'the user name'),
  );
  for (const [verb, status] of [
    ['lock', 'lock'],
    ['unlock', 'active'],
  ] as const) {
    token.addCommand(
      action(
        verb,
        verb === 'lock' ? 'refuse every login with the token' : 'allow logins with the token again',
        async (gateway, args) => {
          await gateway.setTokenStatus(args[0] ?? '', status);
          output.out(`Token ${args[0]} ${verb}ed.`);
        },
      ).argument('<serial>', 'the token serial'),
    );
  }
  token.addCommand(
    action(
      'provision',
      "issue a new activation code and send it to the token's user",
      async (gateway, args, options) => {
        const done = await gateway.provisionToken(args[0] ?? '', expireHours(options));
        output.out(`Token ${done.serial} provisioned; activation sent by ${done.delivered}.`);
      },
    )
      .argument('<serial>', 'the token serial')
      .option('--expire-hours <n>', 'activation code lifetime, 1 to 168 hours (default 72)'),
  );
  token.addCommand(
    action(
      'reprovision',
      'move a token to a new phone: a new activation code; the phone that has it stops working',
      async (gateway, args, options) => {
        if (options.yes !== true) {
          throw new TokenwardError('TW_CONFIRMATION_REQUIRED', {
            message: `Reprovisioning ${args[0] ?? 'the token'} stops the phone that has it. Run again with --yes to confirm.`,
            data: { field: '--yes' },
          });
        }
        const done = await gateway.reprovisionToken(args[0] ?? '', expireHours(options));
        output.out(`Token ${done.serial} reprovisioned; activation sent by ${done.delivered}.`);
      },
    )
      .argument('<serial>', 'the token serial')
      .option('--yes', 'confirm: the phone that has the token stops working')
      .option('--expire-hours <n>', 'activation code lifetime, 1 to 168 hours (default 72)'),
  );
  token.addCommand(
    action(
      'resend',
      'send the pending activation again (a new code if it ran out)',
      async (gateway, args) => {
        const done = await gateway.resendActivation(args[0] ?? '');
        output.out(`Activation for ${done.serial} sent by ${done.delivered}.`);
      },
    ).argument('<serial>', 'the token serial'),
  );
  token.addCommand(
    action('revoke', 'revoke a token: its phone binding and codes die', async (gateway, args) => {
      await gateway.revokeToken(args[0] ?? '');
      output.out(`Token ${args[0]} revoked.`);
    }).argument('<serial>', 'the token serial'),
  );
  token.addCommand(
    action('poll', 'poll the token server once', async (gateway, _args, options) => {
      const polled = await gateway.poll({ all: options.all === true });
      for (const line of polled.lines) output.out(line);
      output.out(`Polled ${polled.polled} tokens; ${polled.updated} changed.`);
    }).option('--all', 'all tokens, not only those waiting for a phone'),
  );
  gatewayCmd.addCommand(token);

  const diagnose = command('diagnose', 'diagnostics');
  const fortitoken = command('fortitoken', 'token diagnostics');
  fortitoken.addCommand(
    action(
      'info',
      'the FORTITOKEN DRIFT STATUS table and the token server status',
      async (gateway, args) => {
        output.out(await gateway.diagnose(args[0]));
      },
    ).argument('[serial]', 'one token only'),
  );
  gatewayCmd.addCommand(diagnose.addCommand(fortitoken));

  const config = command('config', 'the configuration in FortiOS syntax');
  config.addCommand(
    action(
      'show',
      'print the configuration (or one section, e.g. "user fortitoken")',
      async (gateway, args, _options, { store }) => {
        const wanted = args.join(' ');
        const sections = (await configSections(store, gateway)).filter(
          (s) => wanted === '' || s.path === wanted,
        );
        if (sections.length === 0)
          throw new TokenwardError('TW_INPUT_INVALID', {
            message: `No section "${wanted}". Sections: system global, user setting, system ftm-push, user fortitoken, user local, user radius-client.`,
          });
        output.out(formatConfig(sections).trimEnd());
      },
    ).argument('[section...]', 'a section path'),
  );
  config.addCommand(
    action(
      'import',
      'apply a FortiOS-syntax file (what config show prints); all or nothing',
      async (_gateway, args, _options, { store, cipher }) => {
        const file = args[0] ?? '';
        const { applied } = await importConfig(
          store,
          cipher,
          await readInputFile(file, MAX_CONFIG_BYTES),
          Date.now(),
        );
        output.out(`Applied ${applied} entries from ${file}.`);
      },
    ).argument('<file>', 'the configuration file'),
  );
  gatewayCmd.addCommand(config);

  const mail = command('mail', 'the mail server activation e-mails go through');
  mail.addCommand(
    action('set', 'set the SMTP server', async (_gateway, _args, options, { store, cipher }) => {
      const tls = parseChoice('--tls', String(options.tls), [
        'implicit',
        'starttls',
        'none',
      ] as const);
      const password = options.passwordStdin === true ? await readFirstLine() : undefined;
      await store.settings.set(
        MAIL_KEY,
        {
          host: String(options.host),
          port: parseInteger('--port', options.port, 1, 65_535),
          tls,
          from: String(options.from),
          ...(options.user === undefined ? {} : { user: String(options.user) }),
          ...(password === undefined
            ? {}
            : { passwordEnc: cipher.encrypt(Buffer.from(password), MAIL_KEY) }),
        },
        Date.now(),
      );
      output.out(
        `Activation e-mails go through ${String(options.host)}:${String(options.port)} (TLS: ${tls}).`,
      );
    })
      .requiredOption('--host <host>', 'SMTP host')
      .option('--port <port>', 'SMTP port', '587')
      .option('--tls <mode>', 'implicit (465), starttls or none', 'starttls')
      .requiredOption('--from <address>', 'sender address')
      .option('--user <user>', 'SMTP user')
      .option('--password-stdin', 'read the SMTP password from standard input'),
  );
  gatewayCmd.addCommand(mail);

  const sms = command('sms', 'the SMS webhook activation SMS go through');
  sms.addCommand(
    action(
      'set',
      'set the SMS webhook (POSTed JSON {to, text})',
      async (_gateway, _args, options, { store }) => {
        const webhook = parseHttpUrl(String(options.webhook), '--webhook');
        await store.settings.set(SMS_KEY, { webhook }, Date.now());
        output.out(`Activation SMS go to ${String(options.webhook)}.`);
      },
    ).requiredOption('--webhook <url>', 'the webhook URL'),
  );
  gatewayCmd.addCommand(sms);

  gatewayCmd.addCommand(
    action(
      'console-admin',
      'set the console admin name and password (read from standard input)',
      async (_gateway, _args, options, { store }) => {
        const password = await secretFromStdin(options.passwordStdin, '--password-stdin');
        const name = String(options.name);
        checkPasswordPolicy(password, {
          minLength: PASSWORD_MIN_LENGTH.admin,
          username: name,
          field: '--password-stdin',
        });
        await store.settings.set(
          CONSOLE_ADMIN_KEY,
          { name, passwordHash: await hashPassword(password) },
          Date.now(),
        );
        // A reset also lifts a sign-in block on the name (someone guessing it kept it blocked).
        await store.attempts.clear(`console-admin:${name}`);
        output.out(`Console admin ${name} set.`);
      },
    )
      .option('--name <name>', 'the admin name', 'admin')
      .option('--password-stdin', 'read the password from standard input'),
  );

  const radiusClient = command('radius-client', 'the NAS and VPN concentrators that send RADIUS');
  radiusClient.addCommand(
    action(
      'add',
      'add (or replace) a RADIUS client: a source address or CIDR block and its shared secret',
      async (_gateway, args, options, { store, cipher }) => {
        const secret = await secretFromStdin(options.secretStdin, '--secret-stdin');
        if (secret.length < 16) {
          output.err(
            `Warning TW_WARN_RADIUS_SECRET_SHORT: ${warningCatalog.TW_WARN_RADIUS_SECRET_SHORT}`,
          );
        }
        const name = args[0] ?? '';
        const client = newRadiusClient(
          {
            name,
            address: String(options.address),
            secret,
            messageAuthenticator: parseChoice(
              '--message-authenticator',
              String(options.messageAuthenticator),
              ['require', 'optional'] as const,
            ),
            otpMode: parseChoice('--otp-mode', String(options.otpMode), [
              'challenge',
              'append',
              'both',
            ] as const),
          },
          cipher,
          Date.now(),
        );
        await store.transaction(async (tx) => {
          await tx.radiusClients.remove(name);
          await tx.radiusClients.add(client);
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
      .option('--otp-mode <mode>', 'challenge, append or both', 'both'),
  );
  radiusClient.addCommand(
    action(
      'list',
      'list RADIUS clients (never their secrets)',
      async (_gateway, _args, _options, { store }) => {
        output.out(
          table(
            ['NAME', 'ADDRESS', 'OTP-MODE', 'MESSAGE-AUTHENTICATOR'],
            (await store.radiusClients.list()).map((c) => [
              c.name,
              c.address,
              c.otpMode,
              c.messageAuthenticator,
            ]),
          ),
        );
      },
    ),
  );
  radiusClient.addCommand(
    action('remove', 'remove a RADIUS client', async (_gateway, args, _options, { store }) => {
      if (!(await store.radiusClients.remove(args[0] ?? ''))) {
        throw new TokenwardError('TW_STORE_NOT_FOUND', {
          message: `RADIUS client "${args[0] ?? ''}" does not exist.`,
        });
      }
      output.out(`RADIUS client ${args[0] ?? ''} removed.`);
    }).argument('<name>', 'the client'),
  );
  gatewayCmd.addCommand(radiusClient);

  gatewayCmd.addCommand(
    action(
      'auth',
      'log in as USER from the terminal (password, then code or push)',
      (_gateway, args, options, { auth }) =>
        interactiveLogin(
          auth,
          args[0] ?? '',
          options.sourceIp === undefined ? {} : { sourceIp: String(options.sourceIp) },
          output,
        ),
    )
      .argument('<user>', 'the user to log in as')
      .option('--source-ip <ip>', 'the address to log the login as coming from', '127.0.0.1'),
  );

  gatewayCmd.addCommand(
    action(
      'auth-log',
      'show recent login decisions, newest first',
      async (_gateway, _args, options, { store }) => {
        const entries = await store.authLog.list({
          ...(options.user === undefined ? {} : { username: String(options.user) }),
          ...(options.result === undefined
            ? {}
            : { result: parseChoice('--result', String(options.result), AUTH_RESULTS) }),
          limit: parseInteger('--limit', options.limit, 1, 10_000),
        });
        output.out(
          table(
            ['TIME', 'USER', 'SOURCE', 'FRONT-END', 'METHOD', 'RESULT', 'REASON', 'MS', 'NODE'],
            entries.map((e) => [
              isoTime(e.at),
              e.username,
              e.sourceIp,
              e.frontEnd,
              e.method,
              e.result,
              e.reason,
              e.latencyMs,
              e.node,
            ]),
          ),
        );
      },
    )
      .option('--user <name>', 'only this user')
      .option('--result <result>', 'accept, reject or challenge')
      .option('--limit <n>', 'at most this many lines', '50'),
  );

  gatewayCmd.addCommand(
    action(
      'serve',
      'run the gateway: poll the token server (every 10 s while a token waits, else 60 s)',
      async (gateway, _args, options, { store, cipher, auth, log }) => {
        let radius: ReturnType<typeof createRadiusServer> | undefined;
        if (options.radius !== undefined) {
          const { host, port } = parseListen(
            String(options.radius),
            '--radius',
            DEFAULT_RADIUS_PORT,
          );
          radius = createRadiusServer({ store, cipher, auth, log });
          const bound = await radius.listen(host, port);
          output.out(`RADIUS: ${bound.host}:${bound.port}/udp (authentication)`);
          for (const client of await store.radiusClients.list()) {
            if (client.messageAuthenticator === 'optional') {
              log.warn(
                { code: 'TW_WARN_RADIUS_MESSAGE_AUTHENTICATOR_OPTIONAL', client: client.name },
                warningCatalog.TW_WARN_RADIUS_MESSAGE_AUTHENTICATOR_OPTIONAL,
              );
            }
          }
        }
        let http: ReturnType<typeof buildGatewayServer> | undefined;
        if (options.http !== undefined) {
          const { host, port } = parseListen(String(options.http), '--http');
          http = buildGatewayServer({ store, log, auth, console: { store, cipher, gateway } });
          await http.listen({ host, port });
          const address = http.server.address();
          const base = `http://${host}:${typeof address === 'object' && address !== null ? address.port : port}`;
          output.out(
            `Gateway HTTP: ${base} (login API ${base}/api/v1/auth, health ${base}/healthz)`,
          );
        }
        output.out('Tokenward gateway is running: polling the token server. Press Ctrl-C to stop.');
        const poller = startPollLoop({
          gateway,
          auth,
          onRoundFailed: (error) => output.err(`Poll failed: ${error.message} (${error.code})`),
        });
        await serveUntilStopped(output, async () => {
          await poller.stop();
          await Promise.all([http?.close(), radius?.close()]);
        });
      },
    )
      .option('--provisioner <url>', 'the provisioning service, if it moved since enrolment')
      .option('--http <host:port>', 'serve HTTP: the login API and /healthz')
      .option(
        '--radius <host[:port]>',
        `answer RADIUS on UDP (port ${DEFAULT_RADIUS_PORT} if left out)`,
      )
      .option('--log-level <level>', 'fatal, error, warn, info or debug', 'info'),
  );

  return gatewayCmd;
}

/** `--serial`: which gateway node this is, when several share the database (enroll has its own). */
function withNodeOption(name: string, cmd: Command): Command {
  if (name === 'enroll') return cmd;
  return cmd.option(
    '--serial <sn>',
    'this gateway node, when several are enrolled in the database',
    process.env.TOKENWARD_GATEWAY_SERIAL,
  );
}

/**
 * `--two-factor METHOD`, or `--no-two-factor` (commander sets false): a password-only user,
 * asked for explicitly and warned about.
 */
function twoFactorOption(options: Record<string, unknown>, output: Output): TwoFactor | undefined {
  const twoFactor =
    options.twoFactor === false
      ? 'disable'
      : options.twoFactor === undefined
        ? undefined
        : parseChoice('--two-factor', String(options.twoFactor), TWO_FACTORS);
  if (twoFactor === 'disable') {
    output.err(`Warning TW_WARN_SINGLE_FACTOR_USER: ${warningCatalog.TW_WARN_SINGLE_FACTOR_USER}`);
  }
  return twoFactor;
}

/** `--expire-hours`: the activation code's lifetime, 1..168 hours (DESIGN section 3). */
function expireHours(options: Record<string, unknown>): number | undefined {
  return options.expireHours === undefined
    ? undefined
    : parseInteger('--expire-hours', options.expireHours, 1, 168);
}

function parseChoice<T extends string>(option: string, value: string, choices: readonly T[]): T {
  const found = choices.find((choice) => choice === value);
  if (found === undefined)
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `${option} is one of: ${choices.join(', ')}.`,
    });
  return found;
}
