import { parseClientAddress } from '../core/client-address.js';
import { TokenwardError } from '../core/errors.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import type { RadiusClient } from '../store/repositories/radius-client-repository.js';
import { sealRadiusSecret } from './token-secrets.js';

const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export interface RadiusClientInput {
  readonly name: string;
  readonly address: string;
  readonly secret: string;
  readonly messageAuthenticator?: RadiusClient['messageAuthenticator'];
  readonly otpMode?: RadiusClient['otpMode'];
  /** Only members of these user groups log in through this client (none given: everyone). */
  readonly allowedGroups?: readonly string[];
}

/** A RADIUS client row from what an admin typed: name, address and secret checked, secret encrypted. */
export function newRadiusClient(
  input: RadiusClientInput,
  cipher: AtRestCipher,
  now: number,
): RadiusClient {
  if (!NAME.test(input.name)) {
    throw new TokenwardError('TW_NAME_INVALID', {
      message: `"${input.name}" is not a client name: 1-64 letters, digits, dots, dashes or underscores.`,
      data: { field: 'name' },
    });
  }
  // RFC 2865 section 3 asks for secrets at least as long as a 16-byte MD5 output; 128 fits any NAS.
  if (input.secret.length < 1 || Buffer.byteLength(input.secret) > 128) {
    throw new TokenwardError('TW_RADIUS_SECRET_INVALID', { data: { field: 'secret' } });
  }
  return {
    name: input.name,
    address: parseClientAddress(input.address),
    secretEnc: sealRadiusSecret(cipher, input.name, input.secret),
    messageAuthenticator: input.messageAuthenticator ?? 'require',
    otpMode: input.otpMode ?? 'both',
    createdAt: now,
    allowedGroups:
      input.allowedGroups === undefined || input.allowedGroups.length === 0
        ? null
        : JSON.stringify([...new Set(input.allowedGroups)]),
  };
}
