import { parseHttpUrl } from '../core/http-url.js';
import { parseSerial } from '../core/serial.js';
import { remoteError } from '../protocol/softtoken/remote-error.js';
import { audit, type GatewayContext } from './context.js';
import { createProvisionerLink, newCredential, saveCredential } from './provisioner-link.js';
import { credentialKey } from './setting-keys.js';

export interface EnrolmentInput {
  readonly provisionerUrl: string;
  readonly serial: string;
  readonly secret: string;
  readonly clusterSerials?: readonly string[];
}

/** Stores this node's provisioner credential (encrypted at rest) once a request shows it works. */
export async function enrollGateway(ctx: GatewayContext, input: EnrolmentInput, now: number) {
  const credential = newCredential({
    provisionerUrl: parseHttpUrl(input.provisionerUrl, '--provisioner'),
    serial: parseSerial(input.serial),
    secret: input.secret,
    clusterSerials: (input.clusterSerials ?? []).map(parseSerial),
  });
  // Checked before it is stored: a wrong secret or address leaves the old enrolment as it was.
  const response = await ctx.connection.exchange(
    (link) => link.send('Polling', { tokens: [] }),
    createProvisionerLink(credential, ctx.clock),
  );
  if (response.d.result === 0) throw remoteError(response);
  await ctx.store.transaction(async (tx) => {
    await saveCredential(tx, ctx.cipher, credential, now);
    await audit(tx, { actor: 'admin', action: 'gateway.enroll', subject: credential.serial }, now);
  });
  ctx.connection.use(credential.serial);
  return { serial: credential.serial, provisionerUrl: credential.provisionerUrl };
}

/** Whether node `serial` has a stored provisioner credential in this database. */
export async function isEnrolled(ctx: GatewayContext, serial: string): Promise<boolean> {
  return (await ctx.store.settings.get(credentialKey(serial))) !== undefined;
}
