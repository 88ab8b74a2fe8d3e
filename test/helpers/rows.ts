import { newFortitoken } from '../../src/gateway/new-fortitoken.js';
import { newUser } from '../../src/gateway/new-user.js';
import { newToken } from '../../src/provisioner/licence-tokens.js';
import type { Fortitoken } from '../../src/store/repositories/fortitoken-repository.js';
import type { User } from '../../src/store/repositories/user-repository.js';

/** Complete rows with plain defaults, for store tests that care about one or two fields. */
/** A stored token row in state `new` (the provisioner's own constructor). */
export const tokenRow = newToken;

export function userRow(name: string, now: number): User {
  return { ...newUser(name, '$scrypt$ln=10,r=8,p=1$AAAA$AAAA', now), twoFactor: 'fortitoken' };
}

/** A gateway token row, activated on a phone (the table the OTP check reads). */
export function fortitokenRow(serial: string, now: number): Fortitoken {
  return {
    ...newFortitoken(serial, 'FTMTRIAL02062407', now),
    state: 'provisioned',
    seedVersion: 1,
  };
}
