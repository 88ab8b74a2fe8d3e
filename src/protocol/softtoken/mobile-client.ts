import { type KeyObject, randomBytes } from 'node:crypto';
import { postSoftToken, type SoftTokenResponse } from './gateway-client.js';
import type { MobileMessageName, MobileRequests } from './messages.js';
import { signMobileRequest } from './mobile-signature.js';

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
  clock: () => number = Date.now,
) {
  const endpoint = new URL('/SoftToken/Provisioning.asmx/Mobile', baseUrl);
  return {
    send<N extends MobileMessageName>(
      name: N,
      fields: MobileMessageFields<N>,
      signal?: AbortSignal,
    ): Promise<SoftTokenResponse> {
      const message = signMobileRequest(phone.identityPrivateKey, {
        __type: `SoftToken.${name}Request`,
        __version: '4',
        registration_id: phone.registrationId,
        timestamp: Math.floor(clock() / 1000),
        nonce: randomBytes(16).toString('base64url'),
        ...fields,
      });
      return postSoftToken(endpoint, JSON.stringify({ d: message }), {}, signal);
    },
  };
}

export type MobileClient = ReturnType<typeof createMobileClient>;
