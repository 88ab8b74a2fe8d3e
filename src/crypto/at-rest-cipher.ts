import {
  createCipheriv,
  createDecipheriv,
  createSecretKey,
  hkdfSync,
  randomBytes,
} from 'node:crypto';
import { TokenwardError } from '../core/errors.js';

/**
 * Encrypts secrets kept in the database (seeds, gateway credentials, RADIUS secrets) with a key
 * derived from the master key. Values are text, `v1.<nonce>.<ciphertext+tag>` in base64url, so
 * one column type serves SQLite and PostgreSQL. The AAD names the row and column (e.g.
 * `token-seed:TWMOB0123456789A`) so a value copied to another row does not open.
 */
export interface AtRestCipher {
  encrypt(plaintext: Uint8Array, aad: string): string;
  decrypt(value: string, aad: string): Uint8Array;
}

export function createAtRestCipher(masterKey: Uint8Array): AtRestCipher {
  // One key object for the process: a raw key would be imported anew by every seed opened.
  const key = createSecretKey(
    Buffer.from(hkdfSync('sha256', masterKey, Buffer.alloc(0), 'tokenward at-rest v1', 32)),
  );
  return {
    encrypt(plaintext, aad) {
      const nonce = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, nonce).setAAD(Buffer.from(aad));
      const body = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
      return `v1.${nonce.toString('base64url')}.${body.toString('base64url')}`;
    },
    decrypt(value, aad) {
      const [version, nonce, body] = value.split('.');
      if (version !== 'v1' || nonce === undefined || body === undefined) {
        throw new TokenwardError('TW_SEALED_DATA_INVALID', { detail: 'not an at-rest value' });
      }
      const data = Buffer.from(body, 'base64url');
      try {
        // authTagLength fixed: else a 4-byte tag (2^32 guesses to forge) would be taken too.
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(nonce, 'base64url'), {
          authTagLength: 16,
        });
        decipher.setAAD(Buffer.from(aad)).setAuthTag(data.subarray(data.length - 16));
        return Buffer.concat([
          decipher.update(data.subarray(0, data.length - 16)),
          decipher.final(),
        ]);
      } catch (error) {
        throw new TokenwardError('TW_SEALED_DATA_INVALID', {
          detail: 'at-rest value did not authenticate (wrong master key or altered)',
          cause: error,
        });
      }
    },
  };
}
