import { TokenwardError } from '../core/errors.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import { exportPrivateKey, generateSealingKeyPair, importPrivateKey } from '../crypto/x25519.js';
import { createGatewayClient } from '../protocol/softtoken/gateway-client.js';
import { openSeed } from '../protocol/softtoken/seed-sealing.js';
import type { Store } from '../store/store.js';

/** What a gateway node needs to talk to its provisioner; kept encrypted in the settings table. */
export interface GatewayCredential {
  readonly provisionerUrl: string;
  readonly serial: string;
  readonly secret: string;
  /** Other members of this gateway cluster (this node's own serial is always listed too). */
  readonly clusterSerials: readonly string[];
  /** X25519 private key (PKCS#8, base64) that seeds are sealed to, and its public half. */
  readonly sealingPrivateKey: string;
  readonly sealingPublicKey: string;
}

const CREDENTIAL_KEY = 'gateway.credential';

/** Stores the credential `gateway enroll` was given, with a new sealing key pair. */
export async function saveCredential(
  store: Store,
  cipher: AtRestCipher,
  input: Pick<GatewayCredential, 'provisionerUrl' | 'serial' | 'secret' | 'clusterSerials'>,
  now: number,
): Promise<GatewayCredential> {
  const sealing = generateSealingKeyPair();
  const credential: GatewayCredential = {
    ...input,
    sealingPrivateKey: Buffer.from(exportPrivateKey(sealing.privateKey)).toString('base64'),
    sealingPublicKey: Buffer.from(sealing.publicKey).toString('base64'),
  };
  const sealed = cipher.encrypt(Buffer.from(JSON.stringify(credential)), CREDENTIAL_KEY);
  await store.settings.set(CREDENTIAL_KEY, sealed, now);
  return credential;
}

export async function loadCredential(
  store: Store,
  cipher: AtRestCipher,
): Promise<GatewayCredential> {
  const sealed = await store.settings.get(CREDENTIAL_KEY);
  if (typeof sealed !== 'string') throw new TokenwardError('TW_GATEWAY_NOT_ENROLLED');
  return JSON.parse(
    Buffer.from(cipher.decrypt(sealed, CREDENTIAL_KEY)).toString('utf8'),
  ) as GatewayCredential;
}

/** The provisioner as this gateway sees it: signed messages out, sealed seeds opened. */
export function createProvisionerLink(credential: GatewayCredential, clock: () => number) {
  const privateKey = importPrivateKey(Buffer.from(credential.sealingPrivateKey, 'base64'));
  const client = createGatewayClient(
    credential.provisionerUrl,
    {
      serial: credential.serial,
      secret: credential.secret,
      clusterSerials: [
        credential.serial,
        ...credential.clusterSerials.filter((sn) => sn !== credential.serial),
      ],
      sealingKey: credential.sealingPublicKey,
    },
    clock,
  );
  return {
    serial: credential.serial,
    provisionerUrl: credential.provisionerUrl,
    send: client.send,
    openSeed: (sealed: string, token: string) =>
      openSeed(privateKey, sealed, token, credential.serial),
  };
}

export type ProvisionerLink = ReturnType<typeof createProvisionerLink>;
