import { TokenwardError } from '../core/errors.js';
import {
  MAX_CLOCK_SKEW_SECONDS,
  parseGatewayAuthorization,
  verifyGatewayRequest,
} from '../crypto/gateway-signature.js';
import type { GatewayRequestBase, MessageError } from '../protocol/softtoken/messages.js';
import type { Cluster } from '../store/repositories/cluster-repository.js';
import type { Gateway } from '../store/repositories/gateway-repository.js';
import type { ProvisionerContext } from './context.js';

/** An authenticated gateway request's sender. */
export interface GatewaySession {
  readonly gateway: Gateway;
  readonly cluster: Cluster;
  /** The X25519 key seeds for this gateway are sealed to, once registered. */
  readonly sealingKey: Uint8Array | null;
  readonly sourceIp: string;
}

export function gatewaySecretAad(serial: string): string {
  return `gateway-secret:${serial}`;
}

/**
 * Checks the `Authorization: TW1-HMAC-SHA256 ...` header against the enrolled gateway's secret
 * (DESIGN section 5). An unknown serial is refused exactly like a forged signature.
 */
export async function authenticateGateway(
  ctx: ProvisionerContext,
  header: string | undefined,
  body: string,
  now: number,
): Promise<Gateway> {
  const authorization = parseGatewayAuthorization(header);
  const gateway = await ctx.store.gateways.find(authorization.serial);
  if (gateway === undefined) {
    throw new TokenwardError('TW_GATEWAY_AUTH_INVALID', {
      detail: `unknown serial ${authorization.serial}`,
    });
  }
  const key = ctx.cipher.decrypt(gateway.secretHashEnc, gatewaySecretAad(gateway.serial));
  verifyGatewayRequest({ authorization, key, body, now });
  // After the signature: only the gateway itself can spend its nonces.
  await ctx.takeOnce({
    signer: `gateway:${gateway.serial}`,
    nonce: authorization.nonce,
    signedAt: authorization.timestamp,
    windowSeconds: MAX_CLOCK_SKEW_SECONDS,
    now,
  });
  return gateway;
}

/**
 * Completes the session once the message is parsed: the body must name the signer, a sealing
 * key sent for the first time is registered, and one that differs from the registered key is
 * refused (a stolen secret must not redirect seeds to another key).
 */
export async function openGatewaySession(
  ctx: ProvisionerContext,
  gateway: Gateway,
  message: GatewayRequestBase,
  sourceIp: string,
  now: number,
): Promise<GatewaySession> {
  if (message.serial_number !== gateway.serial) {
    throw new TokenwardError('TW_GATEWAY_AUTH_INVALID', {
      detail: `body serial ${message.serial_number} signed by ${gateway.serial}`,
    });
  }
  let sealingKey = gateway.sealingKey;
  const offered = message.__sealing_key;
  if (offered !== undefined && offered !== sealingKey) {
    if (sealingKey !== null) throw new TokenwardError('TW_GATEWAY_KEY_MISMATCH');
    await ctx.store.gateways.registerSealingKey(gateway.serial, offered);
    sealingKey = (await ctx.store.gateways.find(gateway.serial))?.sealingKey ?? null;
    if (sealingKey !== offered) throw new TokenwardError('TW_GATEWAY_KEY_MISMATCH');
  }
  // "Last seen" to the minute: a write per request would tax every poll for nothing.
  if (gateway.lastSeenAt === null || now - gateway.lastSeenAt >= 60_000) {
    await ctx.store.gateways.touch(gateway.serial, now);
  }
  const cluster = await ctx.store.clusters.findById(gateway.clusterId);
  if (cluster === undefined)
    throw new TokenwardError('TW_INTERNAL', { detail: 'gateway without cluster' });
  return {
    gateway,
    cluster,
    sealingKey: sealingKey === null ? null : Buffer.from(sealingKey, 'base64'),
    sourceIp,
  };
}

/** `__clustered_sns` echoed with a per-member error for serials outside the sender's cluster. */
export async function clusterMembers(
  ctx: ProvisionerContext,
  session: GatewaySession,
  listed: GatewayRequestBase['__clustered_sns'],
): Promise<{ sn: string; error: MessageError | null }[]> {
  const members = new Set(
    (await ctx.store.gateways.listByCluster(session.cluster.id)).map((g) => g.serial),
  );
  return listed.map(({ sn }) => ({
    sn,
    error: members.has(sn) ? null : new TokenwardError('TW_CLUSTER_MEMBER_UNKNOWN').toPublic(),
  }));
}

export function requireSealingKey(session: GatewaySession): Uint8Array {
  if (session.sealingKey === null) throw new TokenwardError('TW_GATEWAY_KEY_MISSING');
  return session.sealingKey;
}
