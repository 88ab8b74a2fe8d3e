import { randomUUID } from 'node:crypto';
import { TokenwardError } from '../core/errors.js';
import type {
  MobilePushPollRequest,
  MobilePushReplyRequest,
  PushContext,
  PushRequest,
  PushStatusRequest,
} from '../protocol/softtoken/messages.js';
import { verifyPushReplyHmac } from '../protocol/softtoken/push-proof.js';
import type {
  GatewayResponseFields,
  MobileResponseFields,
} from '../protocol/softtoken/responses.js';
import type { Push } from '../store/repositories/push-repository.js';
import type { ProvisionerContext } from './context.js';
import { authenticateDevice, tokenOnDevice } from './device-session.js';
import type { GatewaySession } from './gateway-session.js';
import { entriesOutcome, type MessageOutcome } from './message-outcome.js';
import { decryptSeed } from './token-seeds.js';

/** How often a long poll re-reads the store for changes made on other provisioner nodes. */
const RECHECK_MS = 500;

/**
 * Push: a gateway asks the token's phone to approve a login. Guarded against push fatigue: at
 * most `maxPending` unanswered and `maxPerMinute` per minute per token, checked under the
 * token's row lock so concurrent pushes cannot slip past the limit together.
 */
export async function createPush(
  ctx: ProvisionerContext,
  session: GatewaySession,
  request: PushRequest,
  now: number,
): Promise<MessageOutcome<GatewayResponseFields<'Push'>>> {
  const token = await ctx.store.tokens.findInCluster(request.token, session.cluster.id);
  if (token === undefined) throw new TokenwardError('TW_TOKEN_UNKNOWN');
  if (token.state !== 'provisioned' || token.deviceRegId === null) {
    throw new TokenwardError('TW_TOKEN_NOT_PROVISIONED');
  }
  const { maxPending, maxPerMinute, defaultTtlSeconds } = ctx.config.push;
  const id = randomUUID();
  await ctx.store.transaction(async (tx) => {
    await tx.tokens.lock(token.serial);
    const { pending, recent } = await tx.pushes.countRecent(token.serial, now, now - 60_000);
    if (pending >= maxPending || recent >= maxPerMinute) {
      throw new TokenwardError('TW_PUSH_RATE_LIMITED', {
        detail: `${pending} pending, ${recent} in a minute`,
      });
    }
    await tx.pushes.create({
      id,
      tokenSerial: token.serial,
      gatewaySerial: session.gateway.serial,
      sessionId: request.session_id,
      context: JSON.stringify(request.context),
      number: request.number ?? null,
      status: 'pending',
      createdAt: now,
      expiresAt: now + (request.ttl ?? defaultTtlSeconds) * 1000,
      answeredAt: null,
      tokenCode: null,
      hmac: null,
    });
  });
  ctx.changes.notify();
  // A phone whose app is closed hears of it by Web Push; the push waits for it either way, so
  // the answer to the gateway does not wait for the push service.
  void ctx.webPush.notify(
    token.deviceRegId,
    {
      push_id: id,
      token: token.serial,
      username: request.context.username,
      user_ip: request.context.user_ip,
      application: request.context.user_agent,
    },
    request.ttl ?? defaultTtlSeconds,
  );
  return { fields: { push_id: id }, result: 2, error: null };
}

/** A push as the gateway sees it: expired once past its expiry, even before a sweep marks it. */
function statusAt(push: Push, now: number): Push['status'] {
  return push.status === 'pending' && push.expiresAt <= now ? 'expired' : push.status;
}

/** PushStatus: the gateway's long poll (up to `wait` s) until one of its pushes is decided. */
export async function pushStatus(
  ctx: ProvisionerContext,
  session: GatewaySession,
  request: PushStatusRequest,
  now: number,
  signal?: AbortSignal,
): Promise<MessageOutcome<GatewayResponseFields<'PushStatus'>>> {
  const release = ctx.longPolls.take(`gateway:${session.gateway.serial}`);
  try {
    const wait = release === undefined ? 0 : (request.wait ?? 0);
    return await waitForStatus(ctx, session, request.push_ids, now + wait * 1000, signal);
  } finally {
    release?.();
  }
}

async function waitForStatus(
  ctx: ProvisionerContext,
  session: GatewaySession,
  pushIds: readonly string[],
  deadline: number,
  signal?: AbortSignal,
): Promise<MessageOutcome<GatewayResponseFields<'PushStatus'>>> {
  const members = new Set(
    (await ctx.store.gateways.listByCluster(session.cluster.id)).map((g) => g.serial),
  );
  for (;;) {
    const at = ctx.clock();
    const pushes = new Map(
      (await ctx.store.pushes.findMany(pushIds))
        .filter((push) => members.has(push.gatewaySerial))
        .map((push) => [push.id, push]),
    );
    // Unknown ids will not become known by waiting; answer at once.
    const decided =
      pushes.size < pushIds.length ||
      [...pushes.values()].some((push) => statusAt(push, at) !== 'pending');
    if (decided || at >= deadline || signal?.aborted) {
      return entriesOutcome(
        'pushes',
        pushIds.map((id) => {
          const push = pushes.get(id);
          if (push === undefined) {
            return {
              push_id: id,
              status: null,
              error: new TokenwardError('TW_PUSH_UNKNOWN').toPublic(),
            };
          }
          return {
            push_id: id,
            status: statusAt(push, at),
            token_code:
              push.tokenCode === null
                ? null
                : Buffer.from(ctx.cipher.decrypt(push.tokenCode, pushCodeAad(push.id))).toString(),
            hmac: push.hmac,
            error: null,
          };
        }),
      );
    }
    await ctx.changes.wait(Math.min(RECHECK_MS, deadline - at), signal);
  }
}

/** MobilePushPoll: the phone's long poll (up to `wait` s) for pushes to its tokens. */
export async function pollPushes(
  ctx: ProvisionerContext,
  request: MobilePushPollRequest,
  now: number,
  signal?: AbortSignal,
): Promise<MessageOutcome<MobileResponseFields<'MobilePushPoll'>>> {
  const device = await authenticateDevice(ctx, request, now);
  const serials = (await ctx.store.tokens.listByDevice(device.regId))
    .filter((token) => token.state === 'provisioned')
    .map((token) => token.serial);
  const release = ctx.longPolls.take(`device:${device.regId}`);
  try {
    return await waitForPushes(
      ctx,
      serials,
      release === undefined ? 0 : (request.wait ?? 0),
      signal,
    );
  } finally {
    release?.();
  }
}

async function waitForPushes(
  ctx: ProvisionerContext,
  serials: readonly string[],
  waitSeconds: number,
  signal?: AbortSignal,
): Promise<MessageOutcome<MobileResponseFields<'MobilePushPoll'>>> {
  const deadline = ctx.clock() + waitSeconds * 1000;
  for (;;) {
    const at = ctx.clock();
    const pending = await ctx.store.pushes.listPending(serials, at);
    if (pending.length > 0 || at >= deadline || signal?.aborted) {
      return {
        fields: {
          // The tokens on this phone: one that is gone has moved to another phone or was revoked.
          tokens: serials,
          pushes: pending.map((push) => ({
            push_id: push.id,
            token: push.tokenSerial,
            context: JSON.parse(push.context) as PushContext,
            ...(push.number === null ? {} : { number: push.number }),
            expires: Math.floor(push.expiresAt / 1000),
          })),
        },
        result: 2,
        error: null,
      };
    }
    await ctx.changes.wait(Math.min(RECHECK_MS, deadline - at), signal);
  }
}

/**
 * MobilePushReply: the phone approves (with its current code) or denies, proving it holds the
 * seed with an HMAC. A reply is accepted once, before expiry; a wrong number denies the push.
 */
export async function replyToPush(
  ctx: ProvisionerContext,
  request: MobilePushReplyRequest,
  sourceIp: string,
  now: number,
): Promise<MessageOutcome<MobileResponseFields<'MobilePushReply'>>> {
  const device = await authenticateDevice(ctx, request, now);
  const token = await tokenOnDevice(ctx, request.token, device);
  const push = await ctx.store.pushes.find(request.push_id);
  if (push === undefined || push.tokenSerial !== token.serial)
    throw new TokenwardError('TW_PUSH_UNKNOWN');
  if (
    token.seedEnc === null ||
    !verifyPushReplyHmac(
      decryptSeed(ctx.cipher, token.serial, token.seedEnc),
      push.id,
      request.action,
      request.hmac,
    )
  ) {
    throw new TokenwardError('TW_SIGNATURE_INVALID', { detail: 'push reply HMAC' });
  }
  if (request.action === 'approve' && request.token_code === undefined) {
    throw new TokenwardError('TW_MESSAGE_INVALID', {
      message: 'An approval must carry token_code, the current code.',
    });
  }
  const mismatch =
    request.action === 'approve' && push.number !== null && request.number !== push.number;
  const answered = await ctx.store.pushes.answer(
    push.id,
    {
      status: mismatch || request.action === 'deny' ? 'denied' : 'approved',
      // Encrypted at rest: a code read from the table must not log anyone in.
      tokenCode:
        mismatch || request.token_code === undefined
          ? null
          : ctx.cipher.encrypt(Buffer.from(request.token_code), pushCodeAad(push.id)),
      hmac: mismatch ? null : request.hmac,
    },
    now,
  );
  if (!answered) throw new TokenwardError('TW_PUSH_CLOSED');
  ctx.changes.notify();
  ctx.log.info(
    {
      push_id: push.id,
      token: token.serial,
      action: request.action,
      mismatch,
      source_ip: sourceIp,
    },
    'push answered',
  );
  if (mismatch) throw new TokenwardError('TW_PUSH_NUMBER_MISMATCH');
  return { fields: { accepted: true }, result: 2, error: null };
}

/** The AAD of an approving code kept (encrypted) until the gateway collects it. */
/** The AAD of a push's sealed token code (part of the database format). */
export const pushCodeAad = (pushId: string) => `push-token-code:${pushId}`;
