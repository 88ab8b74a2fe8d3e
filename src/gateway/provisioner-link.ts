import { isTokenwardError, TokenwardError } from '../core/errors.js';
import type { AtRestCipher } from '../crypto/at-rest-cipher.js';
import { exportPrivateKey, generateSealingKeyPair, importPrivateKey } from '../crypto/x25519.js';
import { createGatewayClient } from '../protocol/softtoken/gateway-client.js';
import type { SoftTokenResponse } from '../protocol/softtoken/response-checker.js';
import type { ResponseBase } from '../protocol/softtoken/responses.js';
import { openSeed } from '../protocol/softtoken/seed-sealing.js';
import type { GatewayRepositories } from '../store/store.js';
import { credentialKey, SETTING_KEYS } from './setting-keys.js';
import {
  readTokenServerStatus,
  statusOfAnswer,
  type TokenServerStatus,
} from './token-server-status.js';

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

/** One credential per gateway node, by serial: nodes sharing a database form one cluster. */
const CREDENTIAL_PREFIX = SETTING_KEYS.credentialPrefix;

/** A status unchanged is written again after this long, so every node's view stays recent. */
const STATUS_REFRESH_MS = 60_000;

type Settings = Pick<GatewayRepositories, 'settings'>;

/** The credential `gateway enroll` was given, with a new sealing key pair (not yet stored). */
export function newCredential(
  input: Pick<GatewayCredential, 'provisionerUrl' | 'serial' | 'secret' | 'clusterSerials'>,
): GatewayCredential {
  const sealing = generateSealingKeyPair();
  return {
    ...input,
    sealingPrivateKey: Buffer.from(exportPrivateKey(sealing.privateKey)).toString('base64'),
    sealingPublicKey: Buffer.from(sealing.publicKey).toString('base64'),
  };
}

/** Stores a node's credential, encrypted at rest. */
export async function saveCredential(
  store: Settings,
  cipher: AtRestCipher,
  credential: GatewayCredential,
  now: number,
): Promise<void> {
  const key = credentialKey(credential.serial);
  await store.settings.set(key, cipher.encrypt(Buffer.from(JSON.stringify(credential)), key), now);
}

/**
 * This node's credential: the one for `serial`, or the only one there is. Every node enrolled in
 * the database is listed as a cluster member, so each poll names the whole cluster.
 */
export async function loadCredential(
  store: Settings,
  cipher: AtRestCipher,
  serial?: string,
): Promise<GatewayCredential> {
  const enrolled = [...(await store.settings.all()).entries()].filter(([key]) =>
    key.startsWith(CREDENTIAL_PREFIX),
  );
  const members = enrolled.map(([key]) => key.slice(CREDENTIAL_PREFIX.length));
  const chosen =
    serial === undefined
      ? enrolled.length === 1
        ? enrolled[0]
        : undefined
      : enrolled.find(([key]) => key === CREDENTIAL_PREFIX + serial);
  if (chosen === undefined) {
    throw new TokenwardError('TW_GATEWAY_NOT_ENROLLED', {
      ...(enrolled.length > 1 && serial === undefined
        ? {
            message: `Several gateway nodes are enrolled in this database (${members.join(', ')}). Say which one this is with --serial.`,
          }
        : {}),
    });
  }
  const [key, sealed] = chosen;
  const credential = JSON.parse(
    Buffer.from(cipher.decrypt(String(sealed), key)).toString('utf8'),
  ) as GatewayCredential;
  return {
    ...credential,
    clusterSerials: [...new Set([...members, ...credential.clusterSerials])],
  };
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

/**
 * This node's way to the provisioner, opened on first use: every exchange records whether the
 * token server answered (for `diagnose` and /healthz), and a network failure becomes
 * TW_PROVISIONER_UNREACHABLE.
 */
export function createProvisionerConnection(deps: {
  readonly store: Settings;
  readonly cipher: AtRestCipher;
  readonly clock: () => number;
  /** This node's serial, when several gateway nodes share the database. */
  readonly serial?: string | undefined;
  /** Overrides the enrolled provisioner URL (the provisioner moved). */
  readonly provisionerUrl?: string | undefined;
}) {
  const { store, cipher, clock } = deps;
  let serial = deps.serial;
  let link: ProvisionerLink | undefined;
  let recorded: { status: TokenServerStatus; key: string } | undefined;
  /** Written when it changes (or has not been for a minute): not one write per exchange. */
  const record = async (status: TokenServerStatus) => {
    const key = `${status.status}:${status.code ?? ''}:${status.message ?? ''}`;
    if (recorded?.key === key && status.at - recorded.status.at < STATUS_REFRESH_MS) return;
    await store.settings.set(SETTING_KEYS.tokenServerStatus, status, status.at);
    recorded = { status, key };
  };

  const current = async (): Promise<ProvisionerLink> => {
    if (link === undefined) {
      const credential = await loadCredential(store, cipher, serial);
      link = createProvisionerLink(
        deps.provisionerUrl === undefined
          ? credential
          : { ...credential, provisionerUrl: deps.provisionerUrl },
        clock,
      );
    }
    return link;
  };

  return {
    current,

    /** Speaks as node `serial` from now on (after enrolling it). */
    use(nodeSerial: string) {
      serial = nodeSerial;
      link = undefined;
    },

    /** One exchange, over this node's link or over `over` (a credential being checked). */
    async exchange<R extends ResponseBase>(
      send: (link: ProvisionerLink) => Promise<SoftTokenResponse<R>>,
      over?: ProvisionerLink,
    ): Promise<SoftTokenResponse<R>> {
      const opened = over ?? (await current());
      let response: SoftTokenResponse<R>;
      try {
        response = await send(opened);
      } catch (error) {
        if ((error as Error).name === 'AbortError') throw error;
        const unreachable = isTokenwardError(error)
          ? error
          : new TokenwardError('TW_PROVISIONER_UNREACHABLE', {
              message: `The token server ${opened.provisionerUrl} cannot be reached. Check the network; the gateway retries at its next poll.`,
              cause: error,
            });
        await record({
          status: 'unreachable',
          code: unreachable.code,
          message: unreachable.message,
          at: clock(),
        });
        throw unreachable;
      }
      await record(statusOfAnswer(response, clock()));
      return response;
    },

    /** How the last exchange of any node went. */
    async lastStatus(): Promise<TokenServerStatus | undefined> {
      return readTokenServerStatus(await store.settings.get(SETTING_KEYS.tokenServerStatus));
    },
  };
}

export type ProvisionerConnection = ReturnType<typeof createProvisionerConnection>;
