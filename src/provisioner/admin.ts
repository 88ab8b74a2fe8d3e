import { TokenwardError } from '../core/errors.js';
import {
  mintLicenceName,
  mintRedemptionCode,
  parseLicenceCode,
  parseTokenCount,
} from '../core/licence.js';
import { parseName } from '../core/names.js';
import type { OtpParameters } from '../core/otp-parameters.js';
import { parseSerial } from '../core/serial.js';
import type { TokenState } from '../core/token-state.js';
import { gatewaySecretHash, mintGatewaySecret } from '../crypto/gateway-signature.js';
import { importRawPublicKey } from '../crypto/x25519.js';
import type { Licence } from '../store/repositories/licence-repository.js';
import type { ClusterToken } from '../store/repositories/token-repository.js';
import { notFound } from '../store/unique-violation.js';
import { audit, type ProvisionerContext } from './context.js';
import { gatewaySecretAad } from './gateway-session.js';
import { licenceCodeHash } from './licence-import.js';
import { mintLicenceTokens } from './licence-tokens.js';

const ADMIN = { actor: 'admin' };

/** What the provisioner's operator does from the command line. */
export function createProvisionerAdmin(ctx: ProvisionerContext) {
  const clusterNamed = async (name: string) => {
    const cluster = await ctx.store.clusters.findByName(name);
    if (cluster === undefined) throw notFound(`Cluster "${name}"`);
    return cluster;
  };

  return {
    /**
     * Enrols a gateway in a cluster (created on first use; by default one named after the
     * serial) and returns its secret, which is shown this once and stored only as a hash.
     */
    async addGateway(
      input: { serial: string; cluster?: string; sealingKey?: string },
      now: number,
    ) {
      const serial = parseSerial(input.serial);
      if (input.sealingKey !== undefined)
        importRawPublicKey(Buffer.from(input.sealingKey, 'base64'), 'X25519');
      const secret = mintGatewaySecret();
      const clusterName = parseName(input.cluster ?? serial, '--cluster');
      await ctx.store.transaction(async (tx) => {
        const cluster =
          (await tx.clusters.findByName(clusterName)) ??
          (await tx.clusters.create(clusterName, now));
        await tx.gateways.enrol({
          serial,
          clusterId: cluster.id,
          secretHashEnc: ctx.cipher.encrypt(gatewaySecretHash(secret), gatewaySecretAad(serial)),
          sealingKey: input.sealingKey ?? null,
          createdAt: now,
          lastSeenAt: null,
        });
        await audit(tx, ADMIN, now, 'gateway.add', serial, { cluster: clusterName });
      });
      return { serial, cluster: clusterName, secret };
    },

    async listGateways() {
      const clusters = new Map((await ctx.store.clusters.list()).map((c) => [c.id, c.name]));
      return (await ctx.store.gateways.list()).map((gateway) => ({
        serial: gateway.serial,
        cluster: clusters.get(gateway.clusterId) ?? gateway.clusterId,
        sealingKey: gateway.sealingKey !== null,
        createdAt: gateway.createdAt,
        lastSeenAt: gateway.lastSeenAt,
      }));
    },

    async removeGateway(serial: string, now: number) {
      await ctx.store.transaction(async (tx) => {
        if (!(await tx.gateways.remove(parseSerial(serial)))) throw notFound(`Gateway ${serial}`);
        await audit(tx, ADMIN, now, 'gateway.remove', serial);
      });
    },

    /** Creates a paid pack of `tokens` tokens and returns its redemption code (shown once). */
    async createLicence(
      input: {
        tokens: number;
        transferPolicy?: Licence['transferPolicy'];
        exportPolicy?: Licence['exportPolicy'];
        parameters?: OtpParameters;
      },
      now: number,
    ) {
      const count = parseTokenCount(input.tokens);
      const code = mintRedemptionCode(ctx.random);
      const licence: Licence = {
        name: mintLicenceName('pack', ctx.random),
        kind: 'pack',
        tokenCount: count,
        codeHash: licenceCodeHash(code),
        clusterId: null,
        transferPolicy: input.transferPolicy ?? 'self-service',
        exportPolicy: input.exportPolicy ?? 'forbidden',
        createdAt: now,
        redeemedAt: null,
      };
      await ctx.store.transaction(async (tx) => {
        await tx.licences.create(licence);
        await mintLicenceTokens(tx, licence.name, count, now, ctx.random, input.parameters);
        await audit(tx, ADMIN, now, 'licence.create', licence.name, { tokens: count });
      });
      return { name: licence.name, code, tokens: count };
    },

    async listLicences() {
      const clusters = new Map((await ctx.store.clusters.list()).map((c) => [c.id, c.name]));
      return (await ctx.store.licences.list()).map((licence) => ({
        name: licence.name,
        kind: licence.kind,
        tokens: licence.tokenCount,
        cluster: licence.clusterId === null ? null : (clusters.get(licence.clusterId) ?? null),
        transferPolicy: licence.transferPolicy,
        createdAt: licence.createdAt,
      }));
    },

    /** Moves a licence (by name or redemption code) to another cluster: no lock-in. */
    async moveLicence(nameOrCode: string, clusterName: string, now: number) {
      const cluster = await clusterNamed(clusterName);
      let licence = await ctx.store.licences.find(nameOrCode.trim().toUpperCase());
      if (licence === undefined) {
        const code = parseLicenceCode(nameOrCode);
        if (code.kind === 'pack')
          licence = await ctx.store.licences.findByCodeHash(licenceCodeHash(code.code));
      }
      if (licence === undefined) throw new TokenwardError('TW_LICENCE_UNKNOWN');
      const { name, clusterId } = licence;
      await ctx.store.transaction(async (tx) => {
        await tx.licences.move(name, cluster.id, now);
        await audit(tx, ADMIN, now, 'licence.move', name, { from: clusterId, to: cluster.id });
      });
      return { name, cluster: cluster.name };
    },

    async listTokens(
      filter: { cluster?: string; state?: TokenState } = {},
    ): Promise<ClusterToken[]> {
      const clusterId =
        filter.cluster === undefined ? undefined : (await clusterNamed(filter.cluster)).id;
      return ctx.store.tokens.list({
        ...(clusterId === undefined ? {} : { clusterId }),
        ...(filter.state === undefined ? {} : { state: filter.state }),
      });
    },
  };
}

export type ProvisionerAdmin = ReturnType<typeof createProvisionerAdmin>;
