/** Provisioner behaviour an operator may tune; every field has a documented default. */
export interface ProvisionerConfig {
  /** Activation code lifetime when a Provision entry gives none (`two-factor-ftm-expiry`). */
  readonly defaultExpireHours: number;
  /** Lifetime of a self-service transfer code. */
  readonly transferCodeHours: number;
  readonly push: {
    /** When a Push gives no ttl. */
    readonly defaultTtlSeconds: number;
    /** Push-fatigue guard: pending pushes per token at once, and pushes per token per minute. */
    readonly maxPending: number;
    readonly maxPerMinute: number;
  };
  /** Failed MobileProvision attempts allowed per source address and per code in each window. */
  readonly activationAttempts: {
    readonly perAddress: number;
    readonly perCode: number;
    /** Failed attempts on one token's codes (a used or superseded one), from anywhere. */
    readonly perToken: number;
    readonly windowSeconds: number;
  };
}

export const DEFAULT_PROVISIONER_CONFIG: ProvisionerConfig = {
  defaultExpireHours: 72,
  transferCodeHours: 24,
  push: { defaultTtlSeconds: 60, maxPending: 3, maxPerMinute: 10 },
  activationAttempts: { perAddress: 30, perCode: 10, perToken: 20, windowSeconds: 600 },
};
