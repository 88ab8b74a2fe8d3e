/**
 * Limits that several layers check (the wire schema, the CLI, the console, config import): one
 * constant each, so they cannot drift apart.
 */

/** Hours an activation code may work (DESIGN section 3; FortiOS `two-factor-ftm-expiry`). */
export const ACTIVATION_EXPIRY_HOURS = { min: 1, max: 168, fallback: 72 } as const;

/** Tokens one SoftToken message may name (Provision, Polling, Revoke; a licence's size). */
export const TOKENS_PER_MESSAGE = 1000;

/** Counting every match of a broad search would scan the table; past this a page says "more". */
export const COUNT_CAP = 10_000;
