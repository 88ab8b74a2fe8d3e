import type { User } from '../store/repositories/user-repository.js';

/** A local user as first stored: enabled, no second factor, no token, nothing failed or locked. */
export function newUser(name: string, passwordHash: string, now: number): User {
  return {
    name,
    passwordHash,
    email: null,
    smsPhone: null,
    twoFactor: 'disable',
    tokenSerial: null,
    status: 'enable',
    failCount: 0,
    lockedAt: null,
    lockedUntil: null,
    createdAt: now,
    updatedAt: now,
    ldapServer: null,
    enrolledBy: null,
    directoryGoneAt: null,
  };
}
