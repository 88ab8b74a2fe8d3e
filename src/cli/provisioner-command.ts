import { TokenwardError } from '../core/errors.js';
import { redactUrl } from '../core/redact-url.js';
import { TOKEN_STATES, type TokenState } from '../core/token-state.js';
import { createLogger } from '../log/create-logger.js';
import type { ProvisionerAdmin } from '../provisioner/admin.js';
import { openProvisionerAdmin, startProvisionerService } from '../provisioner/service.js';
import { command, isoTime, listing, type Output, parseLogLevel } from './command.js';
import { type DataOptions, databaseUrl, parseListen, withDataOptions } from './data-options.js';
import { serveUntilStopped } from './serve-until-stopped.js';

export const DEFAULT_PROVISIONER_LISTEN = '127.0.0.1:8440';

/** `tokenward provisioner ...`: the provisioning service and its operator's tools. */
export function provisionerCommand(output: Output) {
  const provisioner = command(
    'provisioner',
    'the provisioning service (licences, activation, push relay)',
  );

  return provisioner
    .addCommand(serveCommand(output))
    .addCommand(gatewayCommands(output))
    .addCommand(licenceCommands(output))
    .addCommand(tokenCommands(output));
}

/** `provisioner serve`. */
function serveCommand(output: Output) {
  return withDataOptions(
    command('serve', 'serve the SoftToken protocol for gateways and phones')
      .option('--listen <host:port>', 'address to listen on', DEFAULT_PROVISIONER_LISTEN)
      .option('--tls-cert <file>', 'PEM certificate: serve HTTPS')
      .option('--tls-key <file>', 'PEM private key for --tls-cert')
      .option(
        '--web-push-subject <contact>',
        'the mailto: or https: contact push services see on Web Push (default mailto:tokenward@localhost)',
      )
      .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'info'),
  ).action(
    async (
      options: DataOptions & {
        listen: string;
        tlsCert?: string;
        tlsKey?: string;
        webPushSubject?: string;
        logLevel: string;
      },
    ) => {
      const { host, port } = parseListen(options.listen);
      const url = databaseUrl(options);
      const running = await startProvisionerService({
        dataDir: options.data,
        databaseUrl: url,
        host,
        port,
        log: createLogger({ level: parseLogLevel(options.logLevel) }),
        masterKeyFromEnvironment: process.env.TOKENWARD_MASTER_KEY,
        ...(options.tlsCert === undefined ? {} : { tlsCertFile: options.tlsCert }),
        ...(options.tlsKey === undefined ? {} : { tlsKeyFile: options.tlsKey }),
        webPushSubject: options.webPushSubject,
      });
      output.out(
        [
          'Tokenward provisioner is running.',
          `  SoftToken (gateways): ${running.url}/SoftToken/Provisioning.asmx/Process`,
          `  SoftToken (phones):   ${running.url}/SoftToken/Provisioning.asmx/Mobile`,
          `  Phone app:            ${running.url}/app/`,
          `  Health:               ${running.url}/healthz`,
          `  Metrics:              ${running.url}/metrics`,
          `  Database:             ${redactUrl(url)}`,
          'Next: enrol a gateway (prints its secret once):',
          `  npx tokenward provisioner gateway add FGT60F0000000001 --data ${options.data}`,
          'Press Ctrl-C to stop.',
        ].join('\n'),
      );
      await serveUntilStopped(output, running.close);
    },
  );
}

/** `provisioner gateway add|list|remove`. */
function gatewayCommands(output: Output) {
  const gateway = command('gateway', 'enrol, list and remove gateways');
  gateway.addCommand(
    adminCommand(
      'add',
      'enrol a gateway and print its secret (shown once)',
      async (admin, args, options) => {
        const serial = args[0] ?? '';
        const added = await admin.addGateway(
          {
            serial,
            ...(options.cluster === undefined ? {} : { cluster: String(options.cluster) }),
            ...(options.sealingKey === undefined ? {} : { sealingKey: String(options.sealingKey) }),
          },
          Date.now(),
        );
        output.out(`Gateway ${added.serial} enrolled in cluster "${added.cluster}".`);
        output.out(`Secret (shown once, store it on the gateway): ${added.secret}`);
      },
    )
      .argument('<serial>', 'the gateway serial, 16 characters A-Z 0-9')
      .option(
        '--cluster <name>',
        'cluster to join (created if new); default: one named after the serial',
      )
      .option(
        '--sealing-key <base64>',
        "the gateway's X25519 public key (else registered on its first request)",
      ),
  );
  gateway.addCommand(
    adminCommand('list', 'list enrolled gateways', async (admin, _args, options) => {
      const gateways = await admin.listGateways();
      output.out(
        listing(
          gateways,
          options.json,
          ['SERIAL', 'CLUSTER', 'SEALING KEY', 'ENROLLED', 'LAST SEEN'],
          (g) => [
            g.serial,
            g.cluster,
            g.sealingKey ? 'yes' : 'no',
            isoTime(g.createdAt),
            isoTime(g.lastSeenAt),
          ],
        ),
      );
    }).option('--json', 'print JSON'),
  );
  gateway.addCommand(
    adminCommand(
      'remove',
      'remove a gateway (its requests are refused from now on)',
      async (admin, args) => {
        await admin.removeGateway(args[0] ?? '', Date.now());
        output.out(`Gateway ${args[0]} removed.`);
      },
    ).argument('<serial>', 'the gateway serial'),
  );

  return gateway;
}

/** `provisioner license create|list|move`. */
function licenceCommands(output: Output) {
  const license = command('license', 'create, list and move licences');
  license.addCommand(
    adminCommand(
      'create',
      'create a pack of tokens and print its redemption code',
      async (admin, _args, options) => {
        const created = await admin.createLicence(
          {
            tokens: Number(options.tokens),
            transferPolicy: options.selfTransfer === false ? 'admin-only' : 'self-service',
            exportPolicy: options.allowExport === true ? 'allowed' : 'forbidden',
          },
          Date.now(),
        );
        output.out(`Licence ${created.name}: ${created.tokens} tokens.`);
        output.out(`Redemption code (import it on the gateway): ${created.code}`);
      },
    )
      .requiredOption('--tokens <n>', 'number of tokens in the pack')
      .option('--no-self-transfer', 'phones may not move these tokens to a new phone by themselves')
      .option(
        '--allow-export',
        'phones may export these tokens as otpauth:// URIs (off by default)',
      ),
  );
  license.addCommand(
    adminCommand('list', 'list licences', async (admin, _args, options) => {
      const licences = await admin.listLicences();
      output.out(
        listing(
          licences,
          options.json,
          ['LICENCE', 'KIND', 'TOKENS', 'CLUSTER', 'TRANSFER', 'CREATED'],
          (l) => [l.name, l.kind, l.tokens, l.cluster, l.transferPolicy, isoTime(l.createdAt)],
        ),
      );
    }).option('--json', 'print JSON'),
  );
  license.addCommand(
    adminCommand('move', 'move a licence to another cluster', async (admin, args, options) => {
      const moved = await admin.moveLicence(args[0] ?? '', String(options.toCluster), Date.now());
      output.out(`Licence ${moved.name} now belongs to cluster "${moved.cluster}".`);
    })
      .argument('<code>', 'the licence name or its redemption code')
      .requiredOption('--to-cluster <name>', 'the cluster to move it to'),
  );

  return license;
}

/** `provisioner token list`. */
function tokenCommands(output: Output) {
  const token = command('token', 'inspect tokens');
  token.addCommand(
    adminCommand('list', 'list tokens', async (admin, _args, options) => {
      const state = options.state === undefined ? undefined : parseState(String(options.state));
      const tokens = await admin.listTokens({
        ...(options.cluster === undefined ? {} : { cluster: String(options.cluster) }),
        ...(state === undefined ? {} : { state }),
      });
      const rows = tokens.map((t) => ({
        serial: t.serial,
        licence: t.licenceName,
        state: t.state,
        regId: t.deviceRegId,
        activatedAt: isoTime(t.activatedAt),
        activationExpire:
          t.activationExpiresAt === null ? null : Math.floor(t.activationExpiresAt / 1000),
      }));
      output.out(
        listing(rows, options.json, ['SERIAL', 'LICENCE', 'STATE', 'REG-ID', 'ACTIVATED'], (r) => [
          r.serial,
          r.licence,
          r.state,
          r.regId,
          r.activatedAt,
        ]),
      );
    })
      .option('--cluster <name>', 'only tokens of this cluster')
      .option('--state <state>', `only tokens in this state (${TOKEN_STATES.join(', ')})`)
      .option('--json', 'print JSON'),
  );

  return token;
}

type AdminAction = (
  admin: ProvisionerAdmin,
  args: string[],
  options: Record<string, unknown>,
) => Promise<void>;

/** A command that opens the store, runs one operator action and closes it again. */
function adminCommand(name: string, description: string, action: AdminAction) {
  return withDataOptions(command(name, description)).action(async (...received: unknown[]) => {
    const commandObject = received.at(-1) as { args: string[]; opts(): Record<string, unknown> };
    const options = commandObject.opts() as DataOptions & Record<string, unknown>;
    const { admin, close } = await openProvisionerAdmin({
      dataDir: options.data,
      databaseUrl: databaseUrl(options),
      masterKeyFromEnvironment: process.env.TOKENWARD_MASTER_KEY,
      log: createLogger({ level: 'warn' }),
    });
    try {
      await action(admin, commandObject.args, options);
    } finally {
      await close();
    }
  });
}

function parseState(value: string): TokenState {
  const state = TOKEN_STATES.find((s) => s === value);
  if (state === undefined) {
    throw new TokenwardError('TW_OPTION_INVALID', {
      message: `--state is one of: ${TOKEN_STATES.join(', ')}.`,
      data: { field: '--state' },
    });
  }
  return state;
}
