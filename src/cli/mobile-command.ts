import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Command } from 'commander';
import { TokenwardError } from '../core/errors.js';
import { warningCatalog } from '../core/warnings.js';
import { createMobileToken, type MobileToken, type PendingPush } from '../mobile/mobile-token.js';
import { decodeQrPng, terminalQr } from '../protocol/qr.js';
import { command, isoTime, listing, type Output, ReportedError } from './command.js';
import { secretFrom } from './stdin-secret.js';
import { VERSION } from './version.js';

interface DeviceOptions {
  device: string;
  pin?: string;
}

/** `tokenward mobile ...`: this terminal as a phone with a token app. */
export function mobileCommand(output: Output) {
  const mobile = command('mobile', 'a mobile token: activate, show codes, answer pushes, transfer');

  const action = mobileActionFor(output);
  mobile.addCommand(
    action('info', "show this phone's reg-id, os-ver and public keys", async (token) => {
      const info = await token.info();
      output.out(
        [
          `reg-id:       ${info.registrationId}`,
          `os-ver:       ${info.osVer}`,
          `identity key: ${info.identityKey} (Ed25519, public)`,
          `sealing key:  ${info.sealingKey} (X25519, public)`,
          `tokens:       ${info.tokens}`,
          `vault:        protected by ${info.vault}`,
        ].join('\n'),
      );
    }),
  );

  mobile.addCommand(
    action(
      'activate',
      'activate a token with the code, link or QR image from the activation e-mail',
      async (token, args, options) => {
        const qr = options.qr === undefined ? undefined : await decodeQrPng(String(options.qr));
        const text = qr ?? args[0];
        if (text === undefined)
          throw new TokenwardError('TW_INPUT_INVALID', {
            message: 'Give the activation code, the activation link, or --qr FILE.png.',
          });
        const activated = await token.activate({
          code: text,
          ...(options.server === undefined ? {} : { server: String(options.server) }),
          transfer: options.transfer === true,
        });
        output.out(`Activated ${activated.serial} (${activated.label}).`);
        output.out(`Code: ${activated.code} (valid ${activated.validFor} s)`);
      },
    )
      .argument(
        '[code]',
        'the activation code (any case, spaces or dashes), or the activation link (https://<provisioner>/app/#activate=...)',
      )
      .option('--server <url>', 'the provisioning server (the activation link carries it)')
      .option('--qr <file>', 'a PNG image of the activation QR code')
      .option('--transfer', 'the code is a transfer code from your previous phone'),
  );

  mobile.addCommand(
    action('list', 'list the tokens on this phone', async (token, _args, options) => {
      const tokens = await token.list(options.offline !== true);
      output.out(
        listing(
          tokens,
          options.json,
          ['SERIAL', 'LABEL', 'ALGORITHM', 'DIGITS', 'PERIOD', 'ACTIVATED', 'STATUS'],
          (t) => [
            t.serial,
            t.label,
            t.algorithm,
            t.digits,
            `${t.period}s`,
            isoTime(t.activatedAt),
            t.status,
          ],
        ),
      );
    })
      .option('--offline', 'do not ask the provisioner which tokens are still here')
      .option('--json', 'print JSON'),
  );

  mobile.addCommand(
    action(
      'code',
      'show the current code of a token (default: the first one)',
      async (token, args, options) => {
        const current = await token.code(args[0]);
        if (options.json === true) {
          output.out(
            JSON.stringify({
              serial: current.serial,
              code: current.code,
              valid_for: current.validFor,
            }),
          );
        } else {
          output.out(
            `${current.code}  (${current.serial}, ${current.label}; valid ${current.validFor} s)`,
          );
        }
      },
    )
      .argument('[serial]', 'the token serial')
      .option('--json', 'print JSON'),
  );

  mobile.addCommand(
    action('remove', 'remove a token from this phone', async (token, args) => {
      await token.remove(args[0] ?? '');
      output.out(`Removed ${args[0]} from this phone.`);
    }).argument('<serial>', 'the token serial'),
  );

  addPushAndExportCommands(mobile, output);
  return mobile;
}

/** `mobile push ...`, transfer and export. */
function addPushAndExportCommands(mobile: Command, output: Output): void {
  const action = mobileActionFor(output);
  const push = command('push', 'answer push login requests');
  push.addCommand(
    action('listen', 'wait for push requests and answer them', async (token, _args, options) => {
      const max = options.max === undefined ? Number.POSITIVE_INFINITY : Number(options.max);
      const mode = options.approve === true ? 'approve' : options.deny === true ? 'deny' : 'ask';
      await listen(token, output, mode, max);
    })
      .option('--approve', 'approve every request')
      .option('--deny', 'deny every request')
      .option('--ask', 'ask for each request (the default)')
      .option('--max <n>', 'stop after answering this many requests'),
  );
  for (const verb of ['approve', 'deny'] as const) {
    push.addCommand(
      action(verb, `${verb} one push request`, async (token, args, options) => {
        const number = options.number === undefined ? undefined : Number(options.number);
        await token.answerPush(args[0] ?? '', verb, number);
        output.out(`${verb === 'approve' ? 'Approved' : 'Denied'} ${args[0]}.`);
      })
        .argument('<push-id>', 'the push request id (push listen shows it)')
        .option('--number <n>', 'the number shown at login (number matching)'),
    );
  }
  mobile.addCommand(push);

  mobile.addCommand(
    action(
      'transfer',
      'move a token to a new phone: prints a transfer code and its QR',
      async (token, args) => {
        const transfer = await token.transfer(args[0] ?? '');
        output.out(
          `Transfer code for ${transfer.serial}: ${transfer.code} (valid until ${isoTime(transfer.expires * 1000)})`,
        );
        output.out(
          `On the new phone: tokenward mobile activate --transfer ${transfer.code} --server ${transfer.server}`,
        );
        output.out(await terminalQr(transfer.uri));
      },
    ).argument('<serial>', 'the token serial'),
  );

  mobile.addCommand(
    action(
      'export',
      'print a token as an otpauth:// URI, where its licence allows it',
      async (token, args, options) => {
        if (options.otpauth !== true)
          throw new TokenwardError('TW_INPUT_INVALID', { message: 'Say which format: --otpauth.' });
        const uri = await token.exportOtpauth(args[0] ?? '');
        output.out(uri);
        output.out(await terminalQr(uri));
      },
    )
      .argument('<serial>', 'the token serial')
      .option('--otpauth', 'as an otpauth:// URI (with a terminal QR code)'),
  );
}

/** A command that opens this phone's vault, runs one action, and reports a refusal in words. */
function mobileActionFor(output: Output) {
  return (
    name: string,
    description: string,
    run: (token: MobileToken, args: string[], options: Record<string, unknown>) => Promise<void>,
  ) =>
    withDeviceOptions(command(name, description)).action(async (...received: unknown[]) => {
      const cmd = received.at(-1) as { args: string[]; opts(): Record<string, unknown> };
      const options = cmd.opts() as DeviceOptions & Record<string, unknown>;
      const pin = await secretFrom(
        { stdin: options.pinStdin, argument: options.pin, environment: process.env.TOKENWARD_PIN },
        { stdin: '--pin-stdin', argument: '--pin', environment: 'TOKENWARD_PIN' },
        output,
      );
      const token = createMobileToken({
        dir: options.device,
        pin,
        version: VERSION,
        onKeyFileWarning: () =>
          output.err(`Warning TW_WARN_VAULT_KEYFILE: ${warningCatalog.TW_WARN_VAULT_KEYFILE}`),
      });
      try {
        await run(token, cmd.args, options);
      } catch (error) {
        // A person reads this: the provisioner's words, as the phone app would show them.
        if (error instanceof TokenwardError) {
          output.err(`Failed. ${error.message} (${error.code})`);
          throw new ReportedError(error.message);
        }
        throw error;
      }
    });
}

function withDeviceOptions(cmd: Command): Command {
  return cmd
    .option(
      '--device <dir>',
      'the phone: its directory (two directories are two phones)',
      process.env.TOKENWARD_DEVICE ?? join(homedir(), '.tokenward', 'device'),
    )
    .option(
      '--pin-stdin',
      'read the vault PIN or passphrase from standard input (or TOKENWARD_PIN)',
    )
    .option('--pin <pin>', 'the PIN as an argument (visible to other users: prefer --pin-stdin)');
}

/** Long-polls for pushes and answers them; rides out provisioner restarts with backoff. */
async function listen(
  token: MobileToken,
  output: Output,
  mode: 'approve' | 'deny' | 'ask',
  max: number,
): Promise<void> {
  let answered = 0;
  let backoff = 1;
  const seen = new Set<string>();
  while (answered < max) {
    let pushes: PendingPush[];
    try {
      pushes = await token.pendingPushes(25);
      backoff = 1;
    } catch (error) {
      if (!(error instanceof TokenwardError && error.code === 'TW_PROVISIONER_UNREACHABLE'))
        throw error;
      output.err(`Provisioner unreachable; retrying in ${backoff} s.`);
      await new Promise((resolve) => setTimeout(resolve, backoff * 1000));
      backoff = Math.min(backoff * 2, 30);
      continue;
    }
    for (const push of pushes.filter((p) => !seen.has(p.pushId))) {
      seen.add(push.pushId);
      const { username, user_ip, user_agent, timestamp } = push.context;
      output.out(
        `Push ${push.pushId}: ${username} from ${user_ip} (${user_agent}) at ${isoTime(timestamp * 1000)}`,
      );
      // With number matching the person types the number the login shows: shown here, it
      // would be approved by a tap without looking (the fatigue the matching exists to stop).
      const answer =
        mode !== 'ask'
          ? { verb: mode, number: push.number }
          : push.number === undefined
            ? { verb: await askYesNo(`Approve this login on ${push.serial}? [y/N] `) }
            : await askNumber('Type the number shown at the login (empty to deny): ');
      try {
        await token.answerPush(push.pushId, answer.verb, answer.number);
        output.out(answer.verb === 'approve' ? 'Approved.' : 'Denied.');
      } catch (error) {
        if (!(error instanceof TokenwardError)) throw error;
        output.err(
          error.code === 'TW_PUSH_NUMBER_MISMATCH'
            ? 'Denied: that is not the number the login shows.'
            : `Failed. ${error.message} (${error.code})`,
        );
      }
      if (++answered >= max) return;
    }
  }
}

async function askLine(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return (await prompt.question(question)).trim();
  } finally {
    prompt.close();
  }
}

async function askYesNo(question: string): Promise<'approve' | 'deny'> {
  return /^y(es)?$/i.test(await askLine(question)) ? 'approve' : 'deny';
}

/** The number typed; nothing typed denies. */
async function askNumber(question: string): Promise<{ verb: 'approve' | 'deny'; number?: number }> {
  const typed = await askLine(question);
  return /^\d{1,2}$/.test(typed) ? { verb: 'approve', number: Number(typed) } : { verb: 'deny' };
}
