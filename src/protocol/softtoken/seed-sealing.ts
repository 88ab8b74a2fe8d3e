import type { KeyObject } from 'node:crypto';
import { open, seal } from '../../crypto/seal.js';

/**
 * Seeds travel sealed to their recipient (a gateway by serial, a phone by reg-id) with the token
 * serial and the recipient in the AAD (DESIGN section 5), so a sealed seed cannot be replayed as
 * another token's or opened as if meant for someone else.
 */
function seedAad(serial: string, recipientId: string): string {
  return `tokenward-seed:${serial}:${recipientId}`;
}

export function sealSeed(
  recipientKey: Uint8Array,
  seed: Uint8Array,
  serial: string,
  recipientId: string,
): string {
  return Buffer.from(seal(recipientKey, seed, seedAad(serial, recipientId))).toString('base64');
}

export function openSeed(
  privateKey: KeyObject,
  sealed: string,
  serial: string,
  recipientId: string,
): Uint8Array {
  return open(privateKey, Buffer.from(sealed, 'base64'), seedAad(serial, recipientId));
}
