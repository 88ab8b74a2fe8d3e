import type { Logger } from 'pino';
import { TokenwardError } from '../core/errors.js';
import { type RandomBytes, secureRandomBytes } from '../core/random.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import { buildResponse, createSoftTokenCodec } from '../protocol/softtoken/codec.js';
import type { MessageResult } from '../protocol/softtoken/messages.js';
import type { ProvisionerStore } from '../store/store.js';
import { createProvisionerAdmin } from './admin.js';
import { createAttemptLimiter } from './attempt-limiter.js';
import { createChangeNotifier } from './change-notifier.js';
import { DEFAULT_PROVISIONER_CONFIG, type ProvisionerConfig } from './config.js';
import type { ProvisionerContext } from './context.js';
import { authenticateGateway, clusterMembers, openGatewaySession } from './gateway-session.js';
import { importLicence } from './licence-import.js';
import {
  createLongPollSlots,
  LONG_POLLS_PER_DEVICE,
  LONG_POLLS_PER_GATEWAY,
} from './long-poll-slots.js';
import type { MessageOutcome } from './message-outcome.js';
import { activateToken } from './mobile-activation.js';
import { requestTransfer } from './mobile-transfer.js';
import { createPush, pollPushes, pushStatus, replyToPush } from './push-relay.js';
import { createReplayGuard } from './replay-guard.js';
import { pollTokens } from './token-polling.js';
import { provisionTokens, revokeTokens } from './token-provisioning.js';
import { createWebPush, type WebPushOptions } from './web-push.js';
import { subscribeWebPush } from './web-push-subscription.js';

export interface ProvisionerDependencies {
  readonly store: ProvisionerStore;
  readonly cipher: AtRestCipher;
  readonly log: Logger;
  readonly clock?: () => number;
  readonly random?: RandomBytes;
  readonly config?: ProvisionerConfig;
  /** Web Push to closed phone apps; the VAPID subject defaults to DEFAULT_WEB_PUSH_SUBJECT. */
  readonly webPush?: Partial<WebPushOptions>;
}

/** The VAPID contact when none is configured (`provisioner serve --web-push-subject`). */
export const DEFAULT_WEB_PUSH_SUBJECT = 'mailto:tokenward@localhost';

/** One SoftToken exchange as the HTTP layer sends it back. */
export interface ProvisionerReply {
  readonly status: number;
  readonly body: { d: Record<string, unknown> };
  /** The message name, for metrics (`Error` when the request had none). */
  readonly type: string;
  readonly result: MessageResult;
}

export interface SoftTokenExchange {
  /** The raw body: gateway signatures cover its exact bytes. */
  readonly body: string;
  readonly sourceIp: string;
  /** Aborted when the client goes away, ending a long poll early. */
  readonly signal?: AbortSignal;
}

/** The context every use case of this provisioner shares, from its dependencies and config. */
function createProvisionerContext(deps: ProvisionerDependencies): ProvisionerContext {
  const config = deps.config ?? DEFAULT_PROVISIONER_CONFIG;
  const { perAddress, perCode, perToken, windowSeconds } = config.activationAttempts;
  const clock = deps.clock ?? Date.now;
  return {
    store: deps.store,
    cipher: deps.cipher,
    log: deps.log,
    random: deps.random ?? secureRandomBytes,
    config,
    clock,
    changes: createChangeNotifier(),
    webPush: createWebPush({
      store: deps.store,
      cipher: deps.cipher,
      log: deps.log,
      clock,
      options: {
        subject: deps.webPush?.subject ?? DEFAULT_WEB_PUSH_SUBJECT,
        ...(deps.webPush?.agent === undefined ? {} : { agent: deps.webPush.agent }),
      },
    }),
    takeOnce: createReplayGuard(deps.store),
    longPolls: createLongPollSlots((holder) =>
      holder.startsWith('device:') ? LONG_POLLS_PER_DEVICE : LONG_POLLS_PER_GATEWAY,
    ),
    activationLimiter: createAttemptLimiter(
      deps.store,
      (key) =>
        key.startsWith('activation-code:')
          ? perCode
          : key.startsWith('activation-token:')
            ? perToken
            : perAddress,
      windowSeconds,
    ),
  };
}

/** The provisioning service (the FortiGuard role): SoftToken endpoints and the operator's tools. */
export function createProvisioner(deps: ProvisionerDependencies) {
  const ctx = createProvisionerContext(deps);
  const codec = createSoftTokenCodec();

  const reply = (
    name: string,
    base: Record<string, unknown>,
    outcome: MessageOutcome,
  ): ProvisionerReply => ({
    status: 200,
    body: buildResponse(name, { ...base, ...outcome.fields }, outcome.result, outcome.error),
    type: name,
    result: outcome.result,
  });

  const refuse = (
    name: string,
    base: Record<string, unknown>,
    error: unknown,
    sourceIp: string,
  ): ProvisionerReply => {
    const coded =
      error instanceof TokenwardError ? error : new TokenwardError('TW_INTERNAL', { cause: error });
    const level = coded.status >= 500 ? 'error' : 'warn';
    ctx.log[level](
      {
        code: coded.code,
        detail: coded.detail,
        type: name,
        source_ip: sourceIp,
        err: coded.status >= 500 ? error : undefined,
      },
      'SoftToken request refused',
    );
    return {
      status: coded.status,
      body: buildResponse(name, base, 0, coded.toPublic()),
      type: name,
      result: 0,
    };
  };

  return {
    admin: createProvisionerAdmin(ctx),

    /** POST /SoftToken/Provisioning.asmx/Process: signed requests from gateways. */
    async handleGateway(
      exchange: SoftTokenExchange & { authorization: string | undefined },
    ): Promise<ProvisionerReply> {
      const now = ctx.clock();
      let name = requestedName(exchange.body);
      let base: Record<string, unknown> = {};
      try {
        const gateway = await authenticateGateway(ctx, exchange.authorization, exchange.body, now);
        const request = codec.parseGatewayRequest(exchange.body);
        name = request.name;
        const { message } = request;
        base = {
          serial_number: message.serial_number,
          __device_version: message.__device_version,
          __device_build: message.__device_build,
          __clustered_sns: message.__clustered_sns.map(({ sn }) => ({ sn, error: null })),
        };
        const session = await openGatewaySession(ctx, gateway, message, exchange.sourceIp, now);
        base.__clustered_sns = await clusterMembers(ctx, session, message.__clustered_sns);
        switch (request.name) {
          case 'LicenseImport':
            return reply(name, base, await importLicence(ctx, session, request.message, now));
          case 'Provision':
            return reply(name, base, await provisionTokens(ctx, session, request.message, now));
          case 'Polling':
            return reply(name, base, await pollTokens(ctx, session, request.message, now));
          case 'Revoke':
            return reply(name, base, await revokeTokens(ctx, session, request.message, now));
          case 'Push':
            return reply(name, base, await createPush(ctx, session, request.message, now));
          case 'PushStatus':
            return reply(
              name,
              base,
              await pushStatus(ctx, session, request.message, now, exchange.signal),
            );
        }
      } catch (error) {
        return refuse(name, base, error, exchange.sourceIp);
      }
    },

    /** POST /SoftToken/Provisioning.asmx/Mobile: requests from phones, signed by their identity key. */
    async handleMobile(exchange: SoftTokenExchange): Promise<ProvisionerReply> {
      const now = ctx.clock();
      // Every answer tells the phone the server's time, so it can correct its own clock (and
      // recover from TW_DEVICE_REQUEST_STALE): stamped when answered, not when the request came
      // (a long poll answers up to 30 s later).
      const stamp = () => ({ server_time: Math.floor(ctx.clock() / 1000) });
      let name = requestedName(exchange.body);
      try {
        const request = codec.parseMobileRequest(exchange.body);
        name = request.name;
        const { sourceIp, signal } = exchange;
        let outcome: MessageOutcome;
        switch (request.name) {
          case 'MobileProvision':
            outcome = await activateToken(ctx, request.message, sourceIp, now);
            break;
          case 'MobilePushPoll':
            outcome = await pollPushes(ctx, request.message, now, signal);
            break;
          case 'MobilePushReply':
            outcome = await replyToPush(ctx, request.message, sourceIp, now);
            break;
          case 'MobileTransfer':
            outcome = await requestTransfer(ctx, request.message, sourceIp, now);
            break;
          case 'MobilePushSubscribe':
            outcome = await subscribeWebPush(ctx, request.message, sourceIp, now);
            break;
        }
        return reply(name, stamp(), outcome);
      } catch (error) {
        return refuse(name, stamp(), error, exchange.sourceIp);
      }
    },

    /** The VAPID public key phone apps subscribe with (GET /app/push-key). */
    webPushKey: () => ctx.webPush.publicKey(),

    /** For /healthz: whether the database answers and takes writes. */
    health: () => deps.store.health(ctx.clock()),
  };
}

export type Provisioner = ReturnType<typeof createProvisioner>;

/** The message name a body claims, for naming an error response; `Error` when there is none. */
function requestedName(body: string): string {
  const match = /"__type"\s*:\s*"SoftToken\.([A-Za-z]{1,40})Request"/.exec(body.slice(0, 512));
  return match?.[1] ?? 'Error';
}
