import { randomUUID } from 'node:crypto';
import {
  Attribute,
  type RadiusAttribute,
  RadiusCode,
  textAttributes,
} from '../../protocol/radius/packet.js';
import { replyAttribute } from '../../protocol/radius/reply-dictionary.js';
import { AUTH_MESSAGES, type AuthOutcome } from '../auth/auth-outcome.js';

/** CHAP and EAP are not offered: the code must reach the engine, so PAP only. */
export const invalidRequest: AuthOutcome = {
  result: 'reject',
  message: AUTH_MESSAGES.rejected,
  reason: 'pap-required',
};

export function responseCode(outcome: AuthOutcome): number {
  switch (outcome.result) {
    case 'accept':
      return RadiusCode.AccessAccept;
    case 'reject':
      return RadiusCode.AccessReject;
    default:
      return RadiusCode.AccessChallenge;
  }
}

/** The attributes after Message-Authenticator: Reply-Message always, State with a challenge. */
export function answer(outcome: AuthOutcome): RadiusAttribute[] {
  switch (outcome.result) {
    case 'accept':
      return [
        ...textAttributes(Attribute.ReplyMessage, `Welcome, ${outcome.username}`),
        // Class: opaque, echoed by the NAS in accounting (RFC 2865 section 5.25); a random
        // UUID (122 random bits, drawn from a buffered pool).
        {
          type: Attribute.Class,
          value: Buffer.from(`tokenward:${randomUUID()}`),
        },
        // The user's groups' reply attributes (Filter-Id, Fortinet-Group-Name, ...): in every
        // Accept, the one that ends a challenge or a push too.
        ...outcome.replyAttributes.map(({ name, value }) => replyAttribute(name, value)),
      ];
    case 'reject':
      return textAttributes(Attribute.ReplyMessage, outcome.message);
    default:
      return [
        { type: Attribute.State, value: Buffer.from(outcome.sessionId) },
        ...textAttributes(Attribute.ReplyMessage, outcome.message),
      ];
  }
}
