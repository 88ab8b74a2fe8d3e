import { DEFAULT_OTP_PARAMETERS, type OtpParameters } from '../core/otp-parameters.js';
import type { RandomBytes } from '../core/random.js';
import { mintSerial } from '../core/serial.js';
import type { Token } from '../store/repositories/token-repository.js';
import type { ProvisionerRepositories } from '../store/store.js';

/**
 * Mints `count` new tokens for a licence, re-minting any serial that is already taken (44 random
 * bits make collisions rare, not impossible, in a provisioner with millions of tokens).
 */
export async function mintLicenceTokens(
  repositories: ProvisionerRepositories,
  licenceName: string,
  count: number,
  now: number,
  random: RandomBytes,
  parameters: OtpParameters = DEFAULT_OTP_PARAMETERS,
): Promise<Token[]> {
  const serials = new Set<string>();
  while (serials.size < count) {
    const fresh = new Set<string>();
    while (serials.size + fresh.size < count) fresh.add(mintSerial(random));
    const taken = await repositories.tokens.existing([...fresh]);
    for (const serial of fresh) if (!taken.has(serial)) serials.add(serial);
  }
  const tokens = [...serials].map((serial) => newToken(serial, licenceName, now, parameters));
  await repositories.tokens.createMany(tokens);
  return tokens;
}

/** A token as a licence first holds it: `new`, no seed, on no phone. */
export function newToken(
  serial: string,
  licenceName: string,
  now: number,
  parameters: OtpParameters = DEFAULT_OTP_PARAMETERS,
): Token {
  return {
    serial,
    licenceName,
    state: 'new',
    lockedFrom: null,
    ...parameters,
    seedEnc: null,
    seedVersion: 0,
    deviceRegId: null,
    label: null,
    activatedAt: null,
    activationExpiresAt: null,
    updatedAt: now,
  };
}
