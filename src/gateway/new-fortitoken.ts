import { DEFAULT_OTP_PARAMETERS } from '../core/otp-parameters.js';
import type { Fortitoken } from '../store/repositories/fortitoken-repository.js';

/** A token as the gateway first holds it (imported from a licence): `new`, active, no seed. */
export function newFortitoken(serial: string, licence: string, now: number): Fortitoken {
  return {
    serial,
    licence,
    status: 'active',
    state: 'new',
    lockedFrom: null,
    ...DEFAULT_OTP_PARAMETERS,
    seedEnc: null,
    seedVersion: 0,
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
