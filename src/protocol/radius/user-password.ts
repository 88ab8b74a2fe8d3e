import { createHash } from 'node:crypto';
import { RadiusFormatError } from './packet.js';

/** RFC 2865 section 5.2: at most 128 octets, in 16-octet blocks. */
export const MAX_PASSWORD_LENGTH = 128;

/**
 * User-Password hiding (RFC 2865 section 5.2): each 16-octet block is XORed with
 * MD5(secret + previous ciphertext block), the first with MD5(secret + Request Authenticator).
 * The password is padded with zeros to a multiple of 16.
 */
export function hideUserPassword(password: Buffer, secret: Buffer, authenticator: Buffer): Buffer {
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw new RadiusFormatError(`a password is at most ${MAX_PASSWORD_LENGTH} bytes`);
  }
  const padded = Buffer.alloc(Math.max(16, Math.ceil(password.length / 16) * 16));
  password.copy(padded);
  return xorWithMasks(padded, secret, authenticator, 'hide');
}

/** The inverse of hideUserPassword; trailing zero padding removed. */
export function revealUserPassword(hidden: Buffer, secret: Buffer, authenticator: Buffer): Buffer {
  if (hidden.length < 16 || hidden.length > MAX_PASSWORD_LENGTH || hidden.length % 16 !== 0) {
    throw new RadiusFormatError(`User-Password of ${hidden.length} bytes`);
  }
  const clear = xorWithMasks(hidden, secret, authenticator, 'reveal');
  let end = clear.length;
  while (end > 0 && clear[end - 1] === 0) end--;
  return clear.subarray(0, end);
}

/** Each block XOR MD5(secret + previous hidden block), the first chained from the authenticator. */
function xorWithMasks(
  data: Buffer,
  secret: Buffer,
  authenticator: Buffer,
  direction: 'hide' | 'reveal',
): Buffer {
  const result = Buffer.alloc(data.length);
  let previous = authenticator;
  for (let block = 0; block < data.length; block += 16) {
    const mask = createHash('md5').update(secret).update(previous).digest();
    for (let i = 0; i < 16; i++) result[block + i] = (data[block + i] ?? 0) ^ (mask[i] ?? 0);
    previous = (direction === 'hide' ? result : data).subarray(block, block + 16);
  }
  return result;
}
