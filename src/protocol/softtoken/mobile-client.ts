import { type KeyObject, randomBytes } from 'node:crypto';
import { postSoftToken } from './gateway-client.js';
import type { MobileMessageName, MobileRequests } from './messages.js';
import { signMobileRequest } from './mobile-signature.js';
import type { ResponseChecker, SoftTokenResponse } from './response-checker.js';
import type { MobileResponses } from './responses.js';

/** The answer to phone message N. */
export type MobileAnswer<N extends MobileMessageName> = SoftTokenResponse<MobileResponses[N]>;

export type MobileMessageFields<N extends MobileMessageName> = Omit<
  MobileRequests[N],
  'registration_id' | 'timestamp' | 'nonce' | 'signature'
>;

/** A phone's identity towards the provisioner: its reg-id and Ed25519 identity key. */
export interface PhoneIdentity {
  readonly registrationId: string;
  readonly identityPrivateKey: KeyObject;
}

/** Sends phone messages, each signed with the phone's identity key (DESIGN section 5). */
export function createMobileClient(
  baseUrl: string,
  phone: PhoneIdentity,
  clock: () => number,
  /** Made once per phone (createResponseChecker), not per message. */
  checker: ResponseChecker,
) {
  const endpoint = new URL('/SoftToken/Provisioning.asmx/Mobile', baseUrl);
  return {
    async send<N extends MobileMessageName>(
      name: N,
      fields: MobileMessageFields<N>,
      signal?: AbortSignal,
    ): Promise<MobileAnswer<N>> {
      const message = signMobileRequest(phone.identityPrivateKey, {
        __type: `SoftToken.${name}Request`,
        __version: '4',
        registration_id: phone.registrationId,
        timestamp: Math.floor(clock() / 1000),
        nonce: randomBytes(16).toString('base64url'),
        ...fields,
      });
      const answer = await postSoftToken(endpoint, JSON.stringify({ d: message }), {}, signal);
      return { status: answer.status, d: checker.mobile(name, answer.d) };
    },
  };
}

export type MobileClient = ReturnType<typeof createMobileClient>;
