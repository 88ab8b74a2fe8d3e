import { TokenwardError } from '../../core/errors.js';
import type { AtRestCipher } from '../../crypto/at-rest-cipher.js';
import type { RadiusClient } from '../../store/repositories/radius-client-repository.js';
import { parseClientAddress } from './client-address.js';
import { radiusSecretAad } from './client-registry.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A RADIUS client row from what an admin typed: name, address and secret checked, secret encrypted. */
export function newRadiusClient(
  input: {
    name: string;
    address: string;
    secret: string;
    messageAuthenticator?: RadiusClient['messageAuthenticator'];
    otpMode?: RadiusClient['otpMode'];
  },
  cipher: AtRestCipher,
  now: number,
): RadiusClient {
  if (!NAME.test(input.name)) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `"${input.name}" is not a client name: 1-64 letters, digits, dots, dashes or underscores.`,
    });
  }
  // RFC 2865 section 3 asks for secrets at least as long as a 16-byte MD5 output; 128 fits any NAS.
  if (input.secret.length < 1 || Buffer.byteLength(input.secret) > 128) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: 'A RADIUS shared secret is 1 to 128 bytes (16 or more random characters advised).',
    });
  }
  return {
    name: input.name,
    address: parseClientAddress(input.address),
    secretEnc: cipher.encrypt(Buffer.from(input.secret), radiusSecretAad(input.name)),
    messageAuthenticator: input.messageAuthenticator ?? 'require',
    otpMode: input.otpMode ?? 'both',
    createdAt: now,
  };
}
