import { randomBytes } from 'node:crypto';

/** Source of random bytes; injectable so tests can make minting deterministic. */
export type RandomBytes = (size: number) => Uint8Array;

export const secureRandomBytes: RandomBytes = (size) => randomBytes(size);
