import { ALL_IN_ONE_GATEWAY, type AllInOne, startAllInOne } from '../all-in-one/all-in-one.js';
import { redactUrl } from '../core/redact-url.js';
import { DEFAULT_RADIUS_PORT } from '../gateway/radius/radius-server.js';
import { loadTlsFiles } from '../http/tls-files.js';
import { createLogger } from '../log/create-logger.js';
import { command, type Output, parseLogLevel } from './command.js';
import { type DataOptions, databaseUrl, parseListen, withDataOptions } from './data-options.js';
import { DEFAULT_PROVISIONER_LISTEN } from './provisioner-command.js';
import { serveUntilStopped } from './serve-until-stopped.js';

export const DEFAULT_HTTP_LISTEN = '127.0.0.1:8441';
export const DEFAULT_RADIUS_LISTEN = `127.0.0.1:${DEFAULT_RADIUS_PORT}`;

/** `tokenward up`: everything in one process, what `npm start` runs. */
export function upCommand(output: Output) {
  return withDataOptions(
    command(
      'up',
      'run everything in one process: provisioner, gateway with the trial tokens, RADIUS, login API, console',
    )
      .option(
        '--listen <host:port>',
        'the provisioner (SoftToken for phones)',
        DEFAULT_PROVISIONER_LISTEN,
      )
      .option('--http <host:port>', 'the gateway: console, login API, /docs', DEFAULT_HTTP_LISTEN)
      .option('--tls-cert <file>', 'PEM certificate: serve the console and login API over HTTPS')
      .option('--tls-key <file>', 'PEM private key for --tls-cert')
      .option('--radius <host[:port]>', 'RADIUS authentication (UDP)', DEFAULT_RADIUS_LISTEN)
      .option('--log-level <level>', 'fatal, error, warn, info, debug or silent', 'info'),
  ).action(
    async (
      options: DataOptions & {
        listen: string;
        http: string;
        tlsCert?: string;
        tlsKey?: string;
        radius: string;
        logLevel: string;
      },
    ) => {
      const url = databaseUrl(options);
      const tls = await loadTlsFiles({ certFile: options.tlsCert, keyFile: options.tlsKey });
      const running = await startAllInOne({
        dataDir: options.data,
        databaseUrl: url,
        masterKeyFromEnvironment: process.env.TOKENWARD_MASTER_KEY,
        provisioner: parseListen(options.listen, '--listen'),
        http: parseListen(options.http, '--http'),
        ...(tls === undefined ? {} : { httpTls: tls }),
        radius: parseListen(options.radius, '--radius', DEFAULT_RADIUS_PORT),
        log: createLogger({ level: parseLogLevel(options.logLevel) }),
        onPollFailed: (error) => output.err(`Poll failed: ${error.message} (${error.code})`),
        // From the environment, not argv: a secret (docs/metrics.md).
        metricsToken: process.env.TOKENWARD_METRICS_TOKEN || undefined,
      });
      output.out(banner(running, options.data, redactUrl(url)));
      await serveUntilStopped(output, running.close);
    },
  );
}

function banner(running: AllInOne, dataDir: string, database: string): string {
  const { firstRun } = running;
  const radius = `${running.radius.host}:${running.radius.port}/udp`;
  const data = dataDir === './tokenward-data' ? '' : ` --data ${dataDir}`;
  return [
    `Tokenward is up${firstRun === undefined ? '' : ' (first run: set up just now)'}.`,
    `  Console:      ${running.httpUrl}/`,
    firstRun === undefined
      ? '  Admin:        admin (password set at the first run)'
      : `  Admin:        ${firstRun.adminUser} / ${firstRun.adminPassword}   (shown once; stored hashed)`,
    `  Login API:    ${running.httpUrl}/api/v1/auth   (OpenAPI: ${running.httpUrl}/docs)`,
    `  Metrics:      ${running.httpUrl}/metrics   (Prometheus; docs/metrics.md)`,
    firstRun === undefined
      ? `  RADIUS:       ${radius}   client 127.0.0.1 (secret set at the first run)`
      : `  RADIUS:       ${radius}   client 127.0.0.1, secret ${firstRun.radiusSecret}   (shown once)`,
    `  Provisioner:  ${running.provisionerUrl}`,
    `  Phone app:    ${running.provisionerUrl}/app/   (the activation e-mail's link opens it)`,
    `  Gateway:      ${ALL_IN_ONE_GATEWAY}, database ${database}`,
    'Next: sign in to the console and follow "Getting started" (mail, a user, your own token), or:',
    `  1. npx tokenward gateway mail set --host smtp.example.com --port 587 --from vpn@example.com${data}`,
    `  2. echo 'a long passphrase' | npx tokenward gateway user add alice --password-stdin --email alice@example.com --token auto${data}`,
    `  3. open the link in alice's activation e-mail on her phone, or: npx tokenward mobile activate CODE-FROM-THE-MAIL --server ${running.provisionerUrl}`,
    'Press Ctrl-C to stop.',
  ].join('\n');
}
