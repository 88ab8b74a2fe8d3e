import type { RadiusPacket } from '../../protocol/radius/packet.js';
import { Attribute, attributeValue } from '../../protocol/radius/packet.js';
import { revealUserPassword } from '../../protocol/radius/user-password.js';
import type { AuthEngine } from '../auth/auth-engine.js';
import type { AuthOutcome, LoginContext } from '../auth/auth-outcome.js';
import type { KnownClient } from './client-registry.js';
import { invalidRequest } from './radius-answer.js';

/** The login flow a request took, for the RADIUS log line. */
export type Flow = 'password' | 'append' | 'token' | 'code' | 'push' | 'invalid';

/**
 * One Access-Request as a login: the password (with an appended code per the client's
 * otp-mode), or the answer to a challenge named by State (a code, or empty for a push).
 */
export async function decideRadiusRequest(
  auth: AuthEngine,
  request: RadiusPacket,
  client: KnownClient,
  /** No Message-Authenticator (the client allows that): anyone could have sent it. */
  unproven: boolean,
  closing: AbortSignal,
): Promise<{ flow: Flow; username: string; outcome: AuthOutcome }> {
  const username = attributeValue(request, Attribute.UserName)?.toString('utf8') ?? '';
  const hidden = attributeValue(request, Attribute.UserPassword);
  const state = attributeValue(request, Attribute.State)?.toString('utf8');
  let password = '';
  try {
    // An empty answer to a challenge may come without User-Password at all (radclient does).
    if (username === '' || (hidden === undefined && state === undefined)) {
      throw new Error('no User-Name or User-Password');
    }
    if (hidden !== undefined) {
      password = revealUserPassword(hidden, client.secret, request.authenticator).toString('utf8');
    }
  } catch {
    // CHAP and EAP are not offered: the code must reach the engine, so PAP only.
    return { flow: 'invalid', username, outcome: invalidRequest };
  }
  const context: LoginContext = {
    frontEnd: 'radius',
    client: client.name,
    application:
      attributeValue(request, Attribute.NasIdentifier)?.toString('utf8') || `RADIUS ${client.name}`,
    ...sourceOf(request),
    ...(unproven ? { unproven } : {}),
    ...(client.allowedGroups === undefined ? {} : { allowedGroups: client.allowedGroups }),
  };
  if (state !== undefined) {
    const options = { username, context };
    if (password === '') {
      return {
        flow: 'push',
        username,
        outcome: await auth.answerPush(state, { ...options, signal: closing }),
      };
    }
    return { flow: 'code', username, outcome: await auth.answerCode(state, password, options) };
  }
  if (client.otpMode === 'token') {
    return {
      flow: 'token',
      username,
      outcome: await auth.loginWithCode({ username, code: password, context }),
    };
  }
  const codeAppended =
    client.otpMode === 'append' ? 'required' : client.otpMode === 'both' ? 'optional' : undefined;
  return {
    flow: codeAppended === undefined ? 'password' : 'append',
    username,
    outcome: await auth.login({
      username,
      password,
      context,
      ...(codeAppended === undefined ? {} : { codeAppended }),
    }),
  };
}

/** The user's address as the NAS reports it (Calling-Station-Id), when it is one. */
function sourceOf(request: RadiusPacket): { sourceIp?: string } {
  const calling = attributeValue(request, Attribute.CallingStationId)?.toString('utf8');
  return calling === undefined || calling === '' ? {} : { sourceIp: calling.slice(0, 64) };
}
