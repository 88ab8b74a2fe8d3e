import { TokenwardError } from '../core/errors.js';
import { parseSerial } from '../core/serial.js';
import type { Fortitoken } from '../store/repositories/fortitoken-repository.js';
import type { GatewayRepositories } from '../store/store.js';
import { notFound } from '../store/unique-violation.js';

/** The token a serial names, or TW_STORE_NOT_FOUND naming it. */
export async function tokenNamed(
  repositories: Pick<GatewayRepositories, 'fortitokens'>,
  serial: string,
): Promise<Fortitoken> {
  const token = await repositories.fortitokens.find(parseSerial(serial));
  if (token === undefined) throw notFound(`Token ${serial}`);
  return token;
}

/** A token of the licences that no user holds and no phone has. */
export async function freeToken(
  repositories: Pick<GatewayRepositories, 'fortitokens'>,
): Promise<string> {
  const [free] = await freeTokens(repositories);
  if (free === undefined) throw new TokenwardError('TW_TOKEN_NO_FREE');
  return free;
}

/** The serials of every free token (of one licence, when given), in serial order. */
export function freeTokens(
  repositories: Pick<GatewayRepositories, 'fortitokens'>,
  filter: { readonly licence?: string } = {},
): Promise<string[]> {
  return repositories.fortitokens.freeSerials(filter);
}
