import { parseLicenceCode } from '../core/licence.js';
import { remoteError } from '../protocol/softtoken/remote-error.js';
import { audit, type GatewayContext } from './context.js';
import { newFortitoken } from './new-fortitoken.js';

/** Imports a licence's tokens from the provisioner (the trial is 0000-0000-0000-0000-0000). */
export async function importLicence(ctx: GatewayContext, code: string, now: number) {
  parseLicenceCode(code);
  const response = await ctx.connection.exchange((link) => link.send('LicenseImport', { code }));
  const { result, license: licence, tokens } = response.d;
  if (result !== 2 || licence === undefined || tokens === undefined) throw remoteError(response);
  const serials = tokens.map((t) => t.token);
  await ctx.store.transaction(async (tx) => {
    await tx.fortitokens.createMany(serials.map((serial) => newFortitoken(serial, licence, now)));
    await audit(
      tx,
      {
        actor: ctx.actor,
        action: 'licence.import',
        subject: licence,
        detail: { tokens: serials.length },
      },
      now,
    );
  });
  return { licence, serials };
}
