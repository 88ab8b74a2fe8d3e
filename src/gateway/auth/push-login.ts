import { verifyTotp } from '../../core/verify-totp.js';
import { verifyPushReplyHmac } from '../../protocol/softtoken/push-proof.js';
import type {
  Fortitoken,
  FortitokenRepository,
} from '../../store/repositories/fortitoken-repository.js';
import type { ProvisionerConnection } from '../provisioner-link.js';

/** What the phone shows with a push: who wants in, from where, with what, when. */
export interface PushContext {
  readonly username: string;
  readonly sourceIp: string;
  readonly application: string;
  readonly realm: string;
  readonly at: number;
}

export type PushOutcome =
  | 'push-approved'
  | 'push-denied'
  | 'push-timeout'
  | 'push-rate-limited'
  | 'push-refused'
  | 'push-proof-invalid'
  | 'push-aborted';

/** PushStatus waits at most this long per request (the protocol's limit). */
const STATUS_WAIT_SECONDS = 30;

/**
 * Asks the token's phone, through the provisioner's relay, to approve a login, and waits for
 * the answer (DESIGN section 5). An approval counts only when it proves the seed: the HMAC over
 * the push id and the current code, both checked here, so the relay is not trusted.
 */
export async function pushLogin(input: {
  readonly connection: ProvisionerConnection;
  readonly token: Fortitoken;
  readonly seed: Uint8Array;
  /** Where the approving code's step is claimed. */
  readonly fortitokens: Pick<FortitokenRepository, 'advanceStep'>;
  /** Not the session id itself (a bearer secret), but a name for it. */
  readonly sessionRef: string;
  readonly context: PushContext;
  readonly number: number | null;
  readonly timeoutSeconds: number;
  readonly clock: () => number;
  readonly signal?: AbortSignal;
  /** Told once the token server took the push (it is on its way to the phone). */
  readonly onSent?: () => void;
}): Promise<{ readonly outcome: PushOutcome; readonly detail?: string }> {
  const { connection, token, context, clock, signal } = input;
  const deadline = clock() + input.timeoutSeconds * 1000;
  const sent = await connection.exchange((link) =>
    link.send('Push', {
      token: token.serial,
      session_id: input.sessionRef,
      context: {
        username: context.username,
        user_ip: context.sourceIp,
        user_agent: context.application,
        realm: context.realm,
        timestamp: Math.floor(context.at / 1000),
        log_message: `${context.application} login as ${context.username}`,
      },
      ...(input.number === null ? {} : { number: input.number }),
      ttl: input.timeoutSeconds,
    }),
  );
  const pushId = sent.d.push_id;
  if (sent.d.result !== 2 || pushId === undefined) {
    const code = sent.d.error?.code ?? 'unknown';
    return {
      outcome: code === 'TW_PUSH_RATE_LIMITED' ? 'push-rate-limited' : 'push-refused',
      detail: code,
    };
  }
  input.onSent?.();
  for (;;) {
    const remaining = Math.ceil((deadline - clock()) / 1000);
    if (signal?.aborted) return { outcome: 'push-aborted' };
    if (remaining <= 0) return { outcome: 'push-timeout' };
    const polled = await connection.exchange((link) =>
      link.send(
        'PushStatus',
        { push_ids: [pushId], wait: Math.min(remaining, STATUS_WAIT_SECONDS) },
        signal,
      ),
    );
    const [status] = polled.d.pushes ?? [];
    if (polled.d.result !== 2 || status === undefined || status.error !== null) {
      return { outcome: 'push-refused', detail: polled.d.error?.code ?? 'no status' };
    }
    switch (status.status) {
      case 'pending':
        continue;
      case 'denied':
        return { outcome: 'push-denied' };
      case 'approved':
        return {
          outcome: (await approvalProven(input, pushId, status, clock()))
            ? 'push-approved'
            : 'push-proof-invalid',
        };
      default:
        return { outcome: 'push-timeout' };
    }
  }
}

async function approvalProven(
  input: {
    readonly token: Fortitoken;
    readonly seed: Uint8Array;
    readonly fortitokens: Pick<FortitokenRepository, 'advanceStep'>;
  },
  pushId: string,
  answer: { token_code?: string | null; hmac?: string | null },
  now: number,
): Promise<boolean> {
  const { token, seed } = input;
  if (typeof answer.hmac !== 'string' || typeof answer.token_code !== 'string') return false;
  if (!verifyPushReplyHmac(seed, pushId, 'approve', answer.hmac)) return false;
  const verdict = verifyTotp({
    seed,
    code: answer.token_code,
    now,
    algorithm: token.algorithm,
    digits: token.digits,
    period: token.period,
    window: 1,
    drift: token.drift,
  });
  if (!verdict.ok) return false;
  // The approving code is spent: it passed through the relay, so it must not log in again. The
  // claim may find the step already used (a code login a moment ago); the HMAC still binds this
  // approval to this one push, so it counts either way.
  await input.fortitokens.advanceStep(token.serial, verdict.step, token.drift, now);
  return true;
}
