import { newToken } from '../../src/provisioner/licence-tokens.js';
import type { Fortitoken } from '../../src/store/repositories/fortitoken-repository.js';
import type { User } from '../../src/store/repositories/user-repository.js';

/** Complete rows with plain defaults, for store tests that care about one or two fields. */
/** A stored token row in state `new` (the provisioner's own constructor). */
export const tokenRow = newToken;

export function userRow(name: string, now: number): User {
  return {
    name,
    passwordHash: '$scrypt$ln=10,r=8,p=1$AAAA$AAAA',
    email: null,
    smsPhone: null,
    twoFactor: 'fortitoken',
    tokenSerial: null,
    status: 'enable',
    failCount: 0,
    lockedAt: null,
    lockedUntil: null,
    createdAt: now,
    updatedAt: now,
  };
}

export function fortitokenRow(serial: string, now: number): Fortitoken {
  return {
    serial,
    licence: 'FTMTRIAL02062407',
    status: 'active',
    state: 'provisioned',
    lockedFrom: null,
    algorithm: 'SHA1',
    digits: 6,
    period: 60,
    seedEnc: null,
    seedVersion: 1,
    activationCodeEnc: null,
    activationExpiresAt: null,
    regId: null,
    osVer: null,
    comments: null,
    drift: 0,
    lastStep: null,
    updatedAt: now,
  };
}
