import type { TokenState } from '../../core/token-state.js';

/**
 * Why a login was decided as it was: the auth log's `reason`, one word per cause. The log line
 * may add `:<code>` (the provisioner's or the network's error code) and `,<effect>` (what the
 * failure caused: `source-blocked`, `locked-out`). docs/auth.md has one row per reason
 * (test/gateway/auth-reasons-doc.test.ts keeps them in step).
 */
export const AUTH_REASONS = {
  password: 'accepted: the password alone (a user without a second factor)',
  'two-factor-waived':
    'accepted: the password alone, the second factor waived by a user group with two-factor disable (break-glass)',
  otp: 'accepted: a FortiToken code',
  'otp-resynced': 'accepted: the second code after a clock drift',
  code: 'accepted: the code sent by e-mail or SMS',
  'push-approved': 'accepted: approved on the phone',
  'second-factor': 'challenged for a code or a push',
  'clock-drift': 'challenged for the next code (the token drifted)',
  'unknown-user': 'no such user',
  'password-mismatch': 'wrong password (counted towards the lockout)',
  'password-hash-invalid': 'the stored password hash is malformed: set the password again',
  'group-not-allowed': "the user is in none of the groups the RADIUS client's allowed-groups admit",
  'directory-unavailable':
    "no host of the user's LDAP server answered within its timeout (the password was not checked)",
  'user-disabled': 'the user is disabled',
  'user-locked': 'the user is locked out',
  'source-blocked': 'the source address is held back by its failures',
  'no-token': 'the user has no token',
  'token-locked': 'the token is locked',
  'token-new': 'the token was never provisioned',
  'token-provisioning': 'the token waits for its phone',
  'token-provision timeout': 'the activation ran out before a phone took it',
  'token-provisioned': 'the token has no seed yet (the next poll brings it)',
  'token-seed-unreadable': "the token's seed does not open under the master key",
  'no-email-address': 'two-factor email, but the user has no e-mail address',
  'no-sms-address': 'two-factor sms, but the user has no SMS number',
  'delivery-failed': 'the login code could not be sent (mail or SMS channel)',
  'otp-mismatch': 'wrong code (counted towards the lockout)',
  'otp-malformed': 'the code is not 6 or 8 digits (counted)',
  'resync-mismatch': 'the code after a clock drift did not follow on (counted)',
  'code-mismatch': 'wrong e-mailed or texted code (counted)',
  'code-expired': 'the e-mailed or texted code ran out',
  'code-missing': 'RADIUS append mode without a code',
  'token-only-unsupported':
    'a token-only RADIUS client (otp-mode token) for a user whose second factor is not a FortiToken',
  'otp-replay': "the code's step was already used",
  'session-invalid': 'the challenge session ran out, was used, or never existed',
  'session-user-mismatch': "a RADIUS State named another user's session",
  'session-binding-mismatch': 'a challenge answered through another front end or RADIUS client',
  'pap-required': 'a RADIUS request without User-Name or User-Password (CHAP, EAP)',
  'push-denied': 'denied on the phone',
  'push-timeout': 'the phone did not answer in time',
  'push-rate-limited': 'too many pushes for the token (with `:<code>`)',
  'push-refused': 'the provisioner refused the push (with `:<code>`)',
  'push-proof-invalid': "the phone's approval did not carry a valid proof",
  'push-unavailable': 'push is off, or the user has no FortiToken',
  'push-aborted': 'the login gave up waiting (client gone, server stopping)',
  'token-server-unreachable': 'the provisioner could not be reached (with `:<code>`)',
} as const;

export type AuthReason = keyof typeof AUTH_REASONS;

/** The reason a token cannot take a login in its state. */
export function tokenStateReason(state: TokenState): AuthReason {
  return state === 'locked' ? 'token-locked' : `token-${state}`;
}
