import { AUTH_RESULTS } from '../../core/login-terms.js';
import { interactiveLogin } from '../auth-command.js';
import { isoTime, type Output, parseChoice, parseInteger, table } from '../command.js';
import { gatewayAction } from './gateway-action.js';

/** `gateway auth USER`: a login from the terminal, as a front end of its own. */
export function authCommand(output: Output) {
  return gatewayAction(
    'auth',
    'log in as USER from the terminal (password, then code or push)',
    ({ auth }, args, options) =>
      interactiveLogin(
        auth,
        args[0] ?? '',
        options.sourceIp === undefined ? {} : { sourceIp: String(options.sourceIp) },
        output,
      ),
  )
    .argument('<user>', 'the user to log in as')
    .option('--source-ip <ip>', 'the address to log the login as coming from', '127.0.0.1');
}

/** `gateway auth-log`: recent login decisions. */
export function authLogCommand(output: Output) {
  return gatewayAction(
    'auth-log',
    'show recent login decisions, newest first',
    async ({ gateway }, _args, options) => {
      const entries = await gateway.listAuthLog({
        ...(options.user === undefined ? {} : { username: String(options.user) }),
        ...(options.result === undefined
          ? {}
          : { result: parseChoice('--result', options.result, AUTH_RESULTS) }),
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
    .option('--limit <n>', 'at most this many lines', '50');
}
