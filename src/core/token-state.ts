import { TokenwardError } from './errors.js';

/** Token states as `diagnose fortitoken info` prints them (DESIGN section 3). */
export type TokenState = 'new' | 'provisioning' | 'provisioned' | 'provision timeout' | 'locked';
export type UnlockedTokenState = Exclude<TokenState, 'locked'>;

export const TOKEN_STATES: readonly TokenState[] = [
  'new',
  'provisioning',
  'provisioned',
  'provision timeout',
  'locked',
];

/** A token's place in its lifecycle; a locked token remembers where to return when unlocked. */
export type TokenLifecycle =
  | { readonly state: UnlockedTokenState }
  | { readonly state: 'locked'; readonly lockedFrom: UnlockedTokenState };

export type TokenEvent =
  /** An activation code is issued for a token not yet on a phone (again, after a timeout). */
  | 'provision'
  /** A token already on a phone gets a new code for a new phone: old binding and seed die. */
  | 'reprovision'
  | 'activate'
  | 'expire'
  | 'revoke'
  | 'lock'
  | 'unlock';

/** The lifecycle of a stored token row (`state` plus, when locked, `lockedFrom`). */
export function lifecycleOf(
  state: TokenState,
  lockedFrom: UnlockedTokenState | null,
): TokenLifecycle {
  return state === 'locked' ? { state, lockedFrom: lockedFrom ?? 'new' } : { state };
}

const UNLOCKED_TRANSITIONS: Record<
  Exclude<TokenEvent, 'lock' | 'unlock' | 'revoke'>,
  Partial<Record<UnlockedTokenState, UnlockedTokenState>>
> = {
  provision: {
    new: 'provisioning',
    provisioning: 'provisioning',
    'provision timeout': 'provisioning',
  },
  reprovision: { provisioned: 'provisioning' },
  activate: { provisioning: 'provisioned' },
  expire: { provisioning: 'provision timeout' },
};

/**
 * The token lifecycle of DESIGN section 4 as a pure function: returns the next lifecycle or
 * throws TW_TOKEN_TRANSITION_INVALID naming the state and the refused event.
 */
export function transitionToken(current: TokenLifecycle, event: TokenEvent): TokenLifecycle {
  switch (event) {
    case 'revoke':
      return { state: 'new' };
    case 'lock':
      if (current.state === 'locked') break;
      return { state: 'locked', lockedFrom: current.state };
    case 'unlock':
      if (current.state !== 'locked') break;
      return { state: current.lockedFrom };
    default: {
      if (current.state === 'locked') break;
      const next = UNLOCKED_TRANSITIONS[event][current.state];
      if (next !== undefined) return { state: next };
    }
  }
  throw new TokenwardError('TW_TOKEN_TRANSITION_INVALID', {
    message: `A token in state "${current.state}" cannot ${event}. ${HINTS[current.state]}`,
    detail: `${current.state} --${event}-->`,
  });
}

const HINTS: Record<TokenState, string> = {
  new: 'Provision it first.',
  provisioning: 'Wait for the phone to activate it, or provision it again for a new code.',
  provisioned: 'Reprovision it to move it to another phone, or revoke it.',
  'provision timeout': 'Provision it again to send a new activation code.',
  locked: 'Unlock it first.',
};
