import type { AtRestCipher } from '../crypto/at-rest-cipher.js';

/**
 * The gateway's secrets at rest, each bound to what it belongs to by its AAD (RFC 5116 section
 * 2.1), so a sealed value copied to another row does not open there. The AAD strings are part of
 * the database format: changing one makes every stored value of its kind unreadable.
 */
const AAD = {
  seed: (serial: string) => `fortitoken-seed:${serial}`,
  activationCode: (serial: string) => `fortitoken-activation-code:${serial}`,
  radiusSecret: (name: string) => `radius-secret:${name}`,
} as const;

const text = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');

export function sealSeed(cipher: AtRestCipher, serial: string, seed: Uint8Array): string {
  return cipher.encrypt(seed, AAD.seed(serial));
}

export function openSeed(cipher: AtRestCipher, serial: string, sealed: string): Uint8Array {
  return cipher.decrypt(sealed, AAD.seed(serial));
}

export function sealActivationCode(cipher: AtRestCipher, serial: string, code: string): string {
  return cipher.encrypt(Buffer.from(code), AAD.activationCode(serial));
}

export function openActivationCode(cipher: AtRestCipher, serial: string, sealed: string): string {
  return text(cipher.decrypt(sealed, AAD.activationCode(serial)));
}

export function sealRadiusSecret(cipher: AtRestCipher, client: string, secret: string): string {
  return cipher.encrypt(Buffer.from(secret), AAD.radiusSecret(client));
}

export function openRadiusSecret(cipher: AtRestCipher, client: string, sealed: string): Buffer {
  return Buffer.from(cipher.decrypt(sealed, AAD.radiusSecret(client)));
}

/** The AAD of each sealed column, for config import (which checks a sealed value opens). */
export const sealedValueAad = AAD;
