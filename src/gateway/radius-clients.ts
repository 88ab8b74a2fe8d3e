import type { RadiusClient } from '../store/repositories/radius-client-repository.js';
import type { GatewayRepositories } from '../store/store.js';
import { notFound } from '../store/unique-violation.js';
import { audit, type GatewayContext } from './context.js';
import { newRadiusClient, type RadiusClientInput } from './new-radius-client.js';
import { openRadiusSecret } from './token-secrets.js';

/** A RADIUS client as shown: never its secret. */
export type ShownRadiusClient = Omit<RadiusClient, 'secretEnc'>;

/** A RADIUS client with its secret opened, for the RADIUS listener only. */
export interface RadiusClientWithSecret extends ShownRadiusClient {
  readonly secret: Buffer;
}

/** Adds a RADIUS client, or replaces the one of that name (a new secret, address or mode). */
export async function saveRadiusClient(
  ctx: GatewayContext,
  input: RadiusClientInput,
  now: number,
): Promise<ShownRadiusClient> {
  const client = newRadiusClient(input, ctx.cipher, now);
  await ctx.store.transaction(async (tx) => {
    const replaced = await replaceRadiusClient(tx, client);
    await ctx.settings.markChanged(tx, now);
    await audit(
      tx,
      {
        actor: ctx.actor,
        action: replaced ? 'radius-client.replace' : 'radius-client.add',
        subject: client.name,
      },
      now,
    );
  });
  ctx.settings.invalidate();
  const { secretEnc: _secret, ...shown } = client;
  return shown;
}

export async function listRadiusClients(ctx: GatewayContext): Promise<ShownRadiusClient[]> {
  return (await ctx.store.radiusClients.list()).map(({ secretEnc: _secret, ...client }) => client);
}

export async function removeRadiusClient(
  ctx: GatewayContext,
  name: string,
  now: number,
): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.radiusClients.remove(name))) throw notFound(`RADIUS client "${name}"`);
    await ctx.settings.markChanged(tx, now);
    await audit(tx, { actor: ctx.actor, action: 'radius-client.remove', subject: name }, now);
  });
  ctx.settings.invalidate();
}

/** Writes a client in the caller's transaction, replacing one of its name; true if it did. */
export async function replaceRadiusClient(
  tx: Pick<GatewayRepositories, 'radiusClients'>,
  client: RadiusClient,
): Promise<boolean> {
  const replaced = await tx.radiusClients.remove(client.name);
  await tx.radiusClients.add(client);
  return replaced;
}

/** Every client with its secret in memory: what the RADIUS listener matches datagrams against. */
export async function radiusClientsWithSecrets(
  ctx: GatewayContext,
): Promise<RadiusClientWithSecret[]> {
  return (await ctx.store.radiusClients.list()).map(({ secretEnc, ...client }) => ({
    ...client,
    secret: openRadiusSecret(ctx.cipher, client.name, secretEnc),
  }));
}
