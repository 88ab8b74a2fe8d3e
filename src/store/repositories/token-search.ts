import type { Kysely, Selectable } from 'kysely';
import type { TokenState } from '../../core/token-state.js';
import type { Database, FortitokensTable } from '../schema.js';
import { COUNT_CAP, countUpToCap, startsWith } from '../search-terms.js';

export const TOKEN_SORTS = ['serial', 'state', 'user', 'activationExpiresAt', 'updatedAt'] as const;
export type TokenSort = (typeof TOKEN_SORTS)[number];

/** What the console's tokens table asks for. */
export interface TokenSearch {
  /** Matches the start of the serial or of the holder's name. */
  readonly text?: string;
  readonly state?: TokenState;
  /** `lock`: only locked tokens; `active`: only the others. */
  readonly status?: 'active' | 'lock';
  readonly licence?: string;
  readonly sort: TokenSort;
  readonly descending: boolean;
  readonly offset: number;
  readonly limit: number;
}

export type FoundToken = Omit<Selectable<FortitokensTable>, 'seedEnc' | 'activationCodeEnc'> & {
  readonly user: string | null;
};

export interface TokenPage {
  readonly tokens: FoundToken[];
  readonly total: number;
  readonly totalCapped: boolean;
}

/** One page of tokens with their holder, and how many match (counted up to `COUNT_CAP`). */
export async function searchTokens(db: Kysely<Database>, query: TokenSearch): Promise<TokenPage> {
  let select = db
    .selectFrom('fortitokens')
    .leftJoin('users', 'users.tokenSerial', 'fortitokens.serial');
  const text = query.text;
  if (text !== undefined && text !== '') {
    select = select.where((eb) =>
      eb.or([startsWith('fortitokens.serial', text), startsWith('users.name', text)]),
    );
  }
  if (query.state !== undefined) select = select.where('fortitokens.state', '=', query.state);
  if (query.status !== undefined) select = select.where('fortitokens.status', '=', query.status);
  if (query.licence !== undefined) select = select.where('fortitokens.licence', '=', query.licence);
  const direction = query.descending ? 'desc' : 'asc';
  const sortColumn = query.sort === 'user' ? 'users.name' : (`fortitokens.${query.sort}` as const);
  const tokens = await select
    .select([
      'fortitokens.serial',
      'fortitokens.licence',
      'fortitokens.status',
      'fortitokens.state',
      'fortitokens.lockedFrom',
      'fortitokens.algorithm',
      'fortitokens.digits',
      'fortitokens.period',
      'fortitokens.seedVersion',
      'fortitokens.activationExpiresAt',
      'fortitokens.regId',
      'fortitokens.osVer',
      'fortitokens.comments',
      'fortitokens.drift',
      'fortitokens.lastStep',
      'fortitokens.updatedAt',
      'users.name as user',
    ])
    .orderBy(sortColumn, direction)
    .orderBy('fortitokens.serial', direction)
    .offset(query.offset)
    .limit(query.limit)
    .execute();
  const total = await countUpToCap(db, select.select('fortitokens.serial'));
  return { tokens, total: Math.min(total, COUNT_CAP), totalCapped: total > COUNT_CAP };
}
