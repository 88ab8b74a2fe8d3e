import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { type AllInOne, startAllInOne } from '../all-in-one/all-in-one.js';
import { parseActivationUri } from '../core/activation-uri.js';
import { isTokenwardError } from '../core/errors.js';
import { createNotifier } from '../gateway/notifier.js';
import { createLogger } from '../log/create-logger.js';
import { createMobileToken, type MobileToken } from '../mobile/mobile-token.js';
import { formatConfig } from '../protocol/fortios/config-document.js';
import { terminalQr } from '../protocol/qr.js';
import { radiusAccessRequest } from '../protocol/radius/radius-client.js';

const PACKET_NAMES = {
  accept: 'Access-Accept',
  reject: 'Access-Reject',
  challenge: 'Access-Challenge',
} as const;

/** A step that did not behave as the story says. */
export class DemoStepFailed extends Error {
  constructor(
    readonly step: number,
    readonly title: string,
    detail: string,
  ) {
    super(`Step ${step} (${title}) did not behave as shown: ${detail}`);
  }
}

/**
 * `tokenward demo`: the source document's story and its fix, told step by step with the real
 * components (HTTP, UDP, SMTP to a server in this process) in a temporary data directory.
 * Resolves when every step behaved as told; rejects with DemoStepFailed naming the one that did not.
 */
export async function runDemo(say: (line: string) => void, version: string): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'tokenward-demo-'));
  const mail = await startMailbox();
  let running: AllInOne | undefined;
  let number = 0;
  const step = async (title: string, story: () => Promise<void>) => {
    number++;
    say('');
    say(`${number}. ${title}`);
    try {
      await story();
    } catch (error) {
      const detail = isTokenwardError(error)
        ? `${error.code}: ${error.message}`
        : error instanceof Error
          ? error.message
          : String(error);
      throw new DemoStepFailed(number, title, detail);
    }
  };
  const expect = (condition: boolean, what: string) => {
    if (!condition) throw new Error(what);
  };

  try {
    let radius = { host: '127.0.0.1', port: 0, secret: '' };
    await step('Start the provisioner, a gateway with the trial licence, and RADIUS', async () => {
      running = await startAllInOne({
        dataDir: join(root, 'data'),
        databaseUrl: `sqlite:${join(root, 'data', 'tokenward.db')}`,
        provisioner: { host: '127.0.0.1', port: 0 },
        http: { host: '127.0.0.1', port: 0 },
        radius: { host: '127.0.0.1', port: 0 },
        log: createLogger({ level: 'silent' }),
        notifier: createNotifier({
          smtp: { host: '127.0.0.1', port: mail.port, tls: 'none', from: 'vpn@example.com' },
        }),
      });
      radius = { ...running.radius, secret: running.firstRun?.radiusSecret ?? '' };
      say(`   provisioner ${running.provisionerUrl}, RADIUS ${radius.host}:${radius.port}/udp`);
      say(`   trial tokens: ${running.firstRun?.tokens.join(', ')}`);
    });
    const system = () => running as AllInOne;
    const phone = (name: string) => createMobileToken({ dir: join(root, name), version });
    const [phoneA, phoneB, phoneC] = [phone('phone-a'), phone('phone-b'), phone('phone-c')];
    const password = 'correct horse battery';
    let serial = '';
    let activation = { uri: '', code: '' };

    await step('The admin adds alice with a token; the activation goes out by e-mail', async () => {
      const added = await system().gateway.addUser({
        name: 'alice',
        password,
        email: 'alice@example.com',
        token: 'auto',
      });
      serial = added.token ?? '';
      say(`   token ${serial}, ${added.delivered ?? 'not delivered'}`);
      expect(added.delivered === 'e-mail to alice@example.com', 'the e-mail was not sent');
    });

    await step('The activation e-mail arrives, with the code and a QR code', async () => {
      const received = mail.received.at(-1);
      const text = received?.text ?? '';
      const uri = /open (https?:\/\/\S+\/app\/#activate=\S+)/.exec(text)?.[1] ?? '';
      activation = { uri, code: parseActivationUri(uri).code.code };
      for (const line of text.split('\n')) say(`   | ${line}`);
      say((await terminalQr(uri)).replace(/^/gm, '   '));
      expect(received?.attachments.some((a) => a.contentType === 'image/png') === true, 'no QR');
    });

    await step('Phone A activates the token', async () => {
      const shown = await phoneA.activate({ uri: activation.uri });
      say(
        `   phone A shows code ${shown.code} (${(await phoneA.info()).registrationId.slice(0, 16)}...)`,
      );
    });

    await step('Phone B tries the same code and is told why it is refused', async () => {
      try {
        await phoneB.activate({ uri: activation.uri });
      } catch (error) {
        expect(
          isTokenwardError(error) && error.code === 'TW_ACTIVATION_CODE_INVALID',
          `refused with ${String(error)}`,
        );
        say(`   phone B: ${(error as Error).message}`);
        return;
      }
      throw new Error('phone B was allowed to activate the same code');
    });

    await step('The gateway polls and shows the token provisioned on phone A', async () => {
      await system().gateway.poll();
      const block = formatConfig(await system().gateway.configSections('user fortitoken'));
      for (const line of block.split('\n')) say(`   ${line}`);
      const info = await phoneA.info();
      expect(
        block.includes(`set reg-id "${info.registrationId}"`),
        "phone A's reg-id is not shown",
      );
      expect(block.includes(`set os-ver "${info.osVer}"`), "phone A's os-ver is not shown");
      expect((await system().gateway.showToken(serial)).state === 'provisioned', 'not provisioned');
    });

    await loginSteps({
      step,
      expect,
      say,
      gateway: system().gateway,
      radius,
      serial,
      password,
      phoneA,
      phoneC,
    });
    say('');
    say('Every step behaved as shown.');
  } finally {
    await running?.close();
    await mail.close();
    await rm(root, { recursive: true, force: true });
  }
}

interface LoginStepsContext {
  readonly step: (title: string, story: () => Promise<void>) => Promise<void>;
  readonly expect: (condition: boolean, what: string) => void;
  readonly say: (line: string) => void;
  readonly gateway: AllInOne['gateway'];
  readonly radius: { readonly host: string; readonly port: number; readonly secret: string };
  readonly serial: string;
  readonly password: string;
  readonly phoneA: MobileToken;
  readonly phoneC: MobileToken;
}

/** The demo's logins over RADIUS: password and code, its replay, a push, a moved token. */
async function loginSteps(demo: LoginStepsContext): Promise<void> {
  const { step, expect, say, gateway, radius, serial, password, phoneA, phoneC } = demo;
  const login = (secretPassword: string, state?: Buffer) =>
    radiusAccessRequest({
      ...radius,
      username: 'alice',
      password: secretPassword,
      ...(state === undefined ? {} : { state }),
    });
  let lastCode = '';
  await step(
    'A RADIUS login with password and code is accepted; its replay is refused',
    async () => {
      lastCode = (await phoneA.code(serial)).code;
      const accepted = await login(password + lastCode);
      say(`   ${PACKET_NAMES[accepted.result]}: ${accepted.replyMessage}`);
      expect(accepted.result === 'accept', 'the login was not accepted');
      const replayed = await login(password + lastCode);
      say(`   the same code again: ${PACKET_NAMES[replayed.result]}: ${replayed.replyMessage}`);
      expect(replayed.result === 'reject', 'the replay was not refused');
      expect(/^Please wait \d+ seconds/.test(replayed.replyMessage), 'no wait message');
    },
  );

  await step('A login approved by push on phone A', async () => {
    const challenge = await login(password);
    say(`   ${PACKET_NAMES[challenge.result]}: ${challenge.replyMessage}`);
    expect(challenge.result === 'challenge' && challenge.state !== undefined, 'no challenge');
    const answered = login('', challenge.state);
    // Each poll waits up to 10 s for the push; three empty polls mean it never came.
    let [push] = await phoneA.pendingPushes(10);
    for (let polls = 1; push === undefined && polls < 3; polls++) {
      [push] = await phoneA.pendingPushes(10);
    }
    if (push === undefined) throw new Error('no push reached phone A in 30 s');
    say(`   phone A: ${push.context.username} from ${push.context.user_agent}; approving`);
    await phoneA.answerPush(push.pushId, 'approve');
    const accepted = await answered;
    say(`   ${PACKET_NAMES[accepted.result]}: ${accepted.replyMessage}`);
    expect(accepted.result === 'accept', 'the push login was not accepted');
  });

  await step("Phone A moves the token to phone C; A's codes stop working", async () => {
    const codeOnA = (await phoneA.code(serial)).code;
    const transfer = await phoneA.transfer(serial);
    await phoneC.activate({ code: transfer.code, server: transfer.server, transfer: true });
    await gateway.poll({ all: true });
    say(`   phone C holds ${serial} with a new seed`);
    const withA = await login(password + codeOnA);
    say(`   phone A's code: ${PACKET_NAMES[withA.result]}: ${withA.replyMessage}`);
    expect(withA.result === 'reject', "phone A's code still works");
    const withC = await login(password + (await phoneC.code(serial)).code);
    say(`   phone C's code: ${PACKET_NAMES[withC.result]}: ${withC.replyMessage}`);
    expect(withC.result === 'accept', "phone C's code does not work");
  });
}

/** A real SMTP server on 127.0.0.1 keeping the mails it receives (the demo's mailbox). */
async function startMailbox() {
  const received: ParsedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // No reverse DNS of 127.0.0.1 per mail (it can wait for a resolver's timeout).
    disableReverseLookup: true,
    onData(stream, _session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          received.push(parsed);
          callback();
        })
        .catch(callback);
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as AddressInfo).port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
