import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type TokenEvent,
  type TokenLifecycle,
  transitionToken,
  type UnlockedTokenState,
} from '../../src/core/token-state.js';
import { assertThrowsCode } from '../helpers/assert-code.js';

// DESIGN section 4, every allowed edge.
const ALLOWED: [UnlockedTokenState, TokenEvent, UnlockedTokenState | 'locked'][] = [
  ['new', 'provision', 'provisioning'],
  ['provisioning', 'provision', 'provisioning'],
  ['provision timeout', 'provision', 'provisioning'],
  ['provisioning', 'activate', 'provisioned'],
  ['provisioning', 'expire', 'provision timeout'],
  ['provisioned', 'reprovision', 'provisioning'],
  ['new', 'revoke', 'new'],
  ['provisioning', 'revoke', 'new'],
  ['provisioned', 'revoke', 'new'],
  ['provision timeout', 'revoke', 'new'],
  ['new', 'lock', 'locked'],
  ['provisioned', 'lock', 'locked'],
];

const UNLOCKED: UnlockedTokenState[] = ['new', 'provisioning', 'provisioned', 'provision timeout'];
const EVENTS: TokenEvent[] = [
  'provision',
  'reprovision',
  'activate',
  'expire',
  'revoke',
  'lock',
  'unlock',
];

describe('token lifecycle', () => {
  for (const [from, event, to] of ALLOWED) {
    it(`${from} --${event}--> ${to}`, () => {
      assert.equal(transitionToken({ state: from }, event).state, to);
    });
  }

  it('refuses every other edge from an unlocked state with TW_TOKEN_TRANSITION_INVALID', () => {
    for (const from of UNLOCKED) {
      for (const event of EVENTS) {
        if (ALLOWED.some(([f, e]) => f === from && e === event) || event === 'lock') continue;
        assertThrowsCode(
          () => transitionToken({ state: from }, event),
          'TW_TOKEN_TRANSITION_INVALID',
        );
      }
    }
  });

  it('returns a locked token to the state it was locked from', () => {
    for (const from of UNLOCKED) {
      const locked = transitionToken({ state: from }, 'lock');
      assert.deepEqual(locked, { state: 'locked', lockedFrom: from });
      assert.deepEqual(transitionToken(locked, 'unlock'), { state: from });
    }
  });

  it('lets a locked token only be unlocked or revoked', () => {
    const locked: TokenLifecycle = { state: 'locked', lockedFrom: 'provisioned' };
    assert.deepEqual(transitionToken(locked, 'revoke'), { state: 'new' });
    for (const event of ['provision', 'reprovision', 'activate', 'expire', 'lock'] as const) {
      assertThrowsCode(() => transitionToken(locked, event), 'TW_TOKEN_TRANSITION_INVALID');
    }
  });
});
