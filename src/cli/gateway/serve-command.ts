import { DEFAULT_RADIUS_PORT } from '../../gateway/radius/radius-server.js';
import { startGatewayService } from '../../gateway/service.js';
import { loadTlsFiles } from '../../http/tls-files.js';
import type { Output } from '../command.js';
import { parseListen } from '../data-options.js';
import { serveUntilStopped } from '../serve-until-stopped.js';
import { gatewayAction } from './gateway-action.js';

/** `gateway serve`: the node's listeners and its poll loop, until stopped. */
export function serveCommand(output: Output) {
  return gatewayAction(
    'serve',
    'run the gateway: poll the token server (every 10 s while a token waits, else 60 s)',
    async ({ gateway, auth, metrics, syslog, log }, _args, options) => {
      const tls = await loadTlsFiles({
        certFile: options.tlsCert as string | undefined,
        keyFile: options.tlsKey as string | undefined,
      });
      const service = await startGatewayService({
        gateway,
        auth,
        log,
        metrics,
        syslog,
        // From the environment, not argv: a secret (docs/metrics.md).
        metricsToken: process.env.TOKENWARD_METRICS_TOKEN || undefined,
        ...(options.http === undefined
          ? {}
          : { http: parseListen(String(options.http), '--http') }),
        ...(tls === undefined ? {} : { httpTls: tls }),
        ...(options.radius === undefined
          ? {}
          : { radius: parseListen(String(options.radius), '--radius', DEFAULT_RADIUS_PORT) }),
        onPollFailed: (error) => output.err(`Poll failed: ${error.message} (${error.code})`),
      });
      if (service.radius !== undefined) {
        output.out(`RADIUS: ${service.radius.host}:${service.radius.port}/udp (authentication)`);
      }
      if (service.httpUrl !== undefined) {
        const base = service.httpUrl;
        output.out(
          `Gateway HTTP: ${base} (login API ${base}/api/v1/auth, health ${base}/healthz, metrics ${base}/metrics)`,
        );
      }
      output.out('Tokenward gateway is running: polling the token server. Press Ctrl-C to stop.');
      await serveUntilStopped(output, service.close);
    },
  )
    .option('--provisioner <url>', 'the provisioning service, if it moved since enrolment')
    .option('--http <host:port>', 'serve HTTP: the login API, the console and /healthz')
    .option('--tls-cert <file>', 'PEM certificate: serve HTTPS on --http')
    .option('--tls-key <file>', 'PEM private key for --tls-cert')
    .option(
      '--radius <host[:port]>',
      `answer RADIUS on UDP (port ${DEFAULT_RADIUS_PORT} if left out)`,
    )
    .option('--log-level <level>', 'fatal, error, warn, info or debug', 'info');
}
