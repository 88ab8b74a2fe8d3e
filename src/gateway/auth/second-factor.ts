import { randomInt } from 'node:crypto';
import type { Fortitoken } from '../../store/repositories/fortitoken-repository.js';
import type { User } from '../../store/repositories/user-repository.js';
import type { GatewayPolicy } from '../gateway-settings.js';
import type { AuthContext } from './auth-context.js';
import { AUTH_MESSAGES, type LoginContext } from './auth-outcome.js';
import { newLoginCode, sealLoginCode } from './login-code.js';
import type { Decision } from './login-decision.js';
import { openLoginSession } from './login-session.js';
import { usableToken } from './usable-token.js';

/**
 * The second step after a right password: a challenge (a FortiToken code or push, or a code sent
 * by e-mail or SMS), or a refusal when the user has no way to finish.
 */
export async function challengeSecondFactor(
  ctx: AuthContext,
  { user, token }: { readonly user: User; readonly token: Fortitoken | undefined },
  context: LoginContext,
  policy: GatewayPolicy,
  groups: readonly string[],
): Promise<Decision> {
  if (user.twoFactor === 'fortitoken') {
    const usable = usableToken(ctx, token);
    if ('reason' in usable) return { result: 'reject', reason: usable.reason };
    const number = policy.push.enabled && policy.push.numberMatching ? randomInt(10, 100) : null;
    const { sessionId, session } = await openLoginSession(ctx, user, context, groups, () => ({
      pushNumber: number,
    }));
    return {
      result: 'challenge',
      reason: 'second-factor',
      session,
      sessionId,
      methods: policy.push.enabled ? ['otp', 'push'] : ['otp'],
      message: policy.push.enabled
        ? AUTH_MESSAGES.token + (number === null ? '' : AUTH_MESSAGES.number(number))
        : AUTH_MESSAGES.tokenOnly,
    };
  }
  const channel = user.twoFactor === 'email' ? 'email' : 'sms';
  const to = channel === 'email' ? user.email : user.smsPhone;
  if (to === null) {
    return {
      result: 'reject',
      reason: channel === 'email' ? 'no-email-address' : 'no-sms-address',
    };
  }
  const code = newLoginCode();
  const validSeconds =
    channel === 'email' ? policy.emailCodeExpirySeconds : policy.smsCodeExpirySeconds;
  const { sessionId, session } = await openLoginSession(ctx, user, context, groups, (idHash) => ({
    codeEnc: sealLoginCode(ctx.cipher, code, idHash),
    codeExpiresAt: ctx.clock() + validSeconds * 1000,
  }));
  try {
    await ctx.notifier.loginCode(channel, to, { username: user.name, code, validSeconds });
  } catch (error) {
    ctx.log.error({ user: user.name, channel, err: error }, 'login code delivery failed');
    return { result: 'reject', reason: 'delivery-failed' };
  }
  return {
    result: 'challenge',
    reason: 'second-factor',
    session,
    sessionId,
    methods: ['otp'],
    message: channel === 'email' ? AUTH_MESSAGES.email : AUTH_MESSAGES.sms,
  };
}
