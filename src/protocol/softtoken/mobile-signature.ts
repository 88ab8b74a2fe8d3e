import type { KeyObject } from 'node:crypto';
import { TokenwardError } from '../../core/errors.js';
import { signCanonical, verifyCanonical } from '../../crypto/identity-signature.js';

/** DESIGN section 5: phone and provisioner clocks may differ by at most this much. */
export const MAX_DEVICE_SKEW_SECONDS = 300;

/**
 * Signs a phone request: Ed25519 over the canonical JSON of the whole message (envelope fields
 * included) without `signature`, then adds `signature`.
 */
export function signMobileRequest<T extends Record<string, unknown>>(
  privateKey: KeyObject,
  message: T,
): T & { signature: string } {
  return { ...message, signature: signCanonical(privateKey, message) };
}

/** Throws TW_DEVICE_REQUEST_STALE or TW_SIGNATURE_INVALID unless `identityKey` signed `message`. */
export function verifyMobileRequest(
  message: { readonly timestamp: number; readonly signature: string },
  identityKey: Uint8Array,
  now: number,
): void {
  const skew = Math.abs(Math.floor(now / 1000) - message.timestamp);
  if (skew > MAX_DEVICE_SKEW_SECONDS) {
    throw new TokenwardError('TW_DEVICE_REQUEST_STALE', { detail: `skew ${skew} s` });
  }
  const { signature, ...unsigned } = message;
  if (!verifyCanonical(identityKey, unsigned, signature)) {
    throw new TokenwardError('TW_SIGNATURE_INVALID', { detail: 'device signature' });
  }
}
