import type { Logger } from 'pino';
import type { RandomBytes } from '../core/random.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { ProvisionerRepositories, ProvisionerStore } from '../store/store.js';
import type { AttemptLimiter } from './attempt-limiter.js';
import type { ChangeNotifier } from './change-notifier.js';
import type { ProvisionerConfig } from './config.js';
import type { LongPollSlots } from './long-poll-slots.js';
import type { ReplayGuard } from './replay-guard.js';
import type { WebPush } from './web-push.js';

/** What every provisioner use case is given (built once by createProvisioner). */
export interface ProvisionerContext {
  readonly store: ProvisionerStore;
  readonly cipher: AtRestCipher;
  readonly log: Logger;
  readonly random: RandomBytes;
  readonly config: ProvisionerConfig;
  /** Epoch milliseconds; long polls read it again while they wait. */
  readonly clock: () => number;
  readonly changes: ChangeNotifier;
  readonly activationLimiter: AttemptLimiter;
  /** Long polls each phone and gateway may hold on this node. */
  readonly longPolls: LongPollSlots;
  /** Refuses a signed request seen before (its nonce taken). */
  readonly takeOnce: ReplayGuard;
  /** Announces a waiting push to a phone whose app is closed. */
  readonly webPush: WebPush;
}

/** Who did it, for the audit log: `gateway:<serial>`, `device:<reg-id>` or `admin`. */
export interface AuditSource {
  readonly actor: string;
  readonly sourceIp?: string;
}

/** Appends one audit entry for a state change (never with a secret in `detail`). */
export function audit(
  repositories: ProvisionerRepositories,
  source: AuditSource,
  now: number,
  action: string,
  subject: string | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  return repositories.auditLog.append({
    at: now,
    actor: source.actor,
    action,
    subject,
    outcome: 'success',
    detail: source.sourceIp === undefined ? detail : { ...detail, source_ip: source.sourceIp },
  });
}
