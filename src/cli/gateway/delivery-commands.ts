import { command, type Output, parseChoice, parseInteger } from '../command.js';
import { readFirstLine } from '../stdin-secret.js';
import { gatewayAction } from './gateway-action.js';

/** `gateway mail set` and `gateway sms set`: where activations and login codes go out. */
export function deliveryCommands(output: Output) {
  const mail = command('mail', 'the mail server activation e-mails go through').addCommand(
    gatewayAction('set', 'set the SMTP server', async ({ gateway }, _args, options) => {
      const tls = parseChoice('--tls', options.tls, ['implicit', 'starttls', 'none'] as const);
      const password = options.passwordStdin === true ? await readFirstLine() : undefined;
      const port = parseInteger('--port', options.port, 1, 65_535);
      await gateway.setMailServer({
        host: String(options.host),
        port,
        tls,
        from: String(options.from),
        ...(options.user === undefined ? {} : { user: String(options.user) }),
        ...(password === undefined ? {} : { password }),
      });
      output.out(`Activation e-mails go through ${String(options.host)}:${port} (TLS: ${tls}).`);
    })
      .requiredOption('--host <host>', 'SMTP host')
      .option('--port <port>', 'SMTP port', '587')
      .option('--tls <mode>', 'implicit (465), starttls or none', 'starttls')
      .requiredOption('--from <address>', 'sender address')
      .option('--user <user>', 'SMTP user')
      .option('--password-stdin', 'read the SMTP password from standard input'),
  );
  const sms = command('sms', 'the SMS webhook activation SMS go through').addCommand(
    gatewayAction(
      'set',
      'set the SMS webhook (POSTed JSON {to, text})',
      async ({ gateway }, _args, options) => {
        await gateway.setSmsWebhook(String(options.webhook));
        output.out(`Activation SMS go to ${String(options.webhook)}.`);
      },
    ).requiredOption('--webhook <url>', 'the webhook URL'),
  );
  return [mail, sms];
}
