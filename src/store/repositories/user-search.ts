import { type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { TwoFactor } from '../../core/login-terms.js';
import type { TokenState } from '../../core/token-state.js';
import type { Database, UsersTable } from '../schema.js';
import { COUNT_CAP, countUpToCap, startsWith } from '../search-terms.js';

export const USER_SORTS = ['name', 'email', 'twoFactor', 'tokenSerial', 'createdAt'] as const;
export type UserSort = (typeof USER_SORTS)[number];

/** What the console's users table asks for: one page of a filtered, sorted list. */
export interface UserSearch {
  /** Matches the start of the name or of the e-mail address (case as typed). */
  readonly text?: string;
  readonly twoFactor?: TwoFactor;
  /** The state of the user's token; `none`: no token assigned. */
  readonly tokenState?: TokenState | 'none';
  /** Only users locked out at `now` (true) or only those not (false). */
  readonly locked?: boolean;
  /** Only a user group's members: its local members and the users its directory sync enrolled. */
  readonly group?: { readonly name: string; readonly members: readonly string[] };
  readonly sort: UserSort;
  readonly descending: boolean;
  readonly offset: number;
  readonly limit: number;
}

export type FoundUser = Omit<Selectable<UsersTable>, 'passwordHash'> & {
  readonly tokenState: TokenState | null;
  readonly tokenStatus: 'active' | 'lock' | null;
};

export interface UserPage {
  readonly users: FoundUser[];
  /** Matches counted up to `COUNT_CAP`; `totalCapped` says there are more. */
  readonly total: number;
  readonly totalCapped: boolean;
}

/**
 * One page of users with their token's state, and how many match. Sorted by an indexed column
 * with the name as tie-breaker, so an unfiltered page reads `offset + limit` index entries.
 */
export async function searchUsers(
  db: Kysely<Database>,
  query: UserSearch,
  now: number,
): Promise<UserPage> {
  let select = db
    .selectFrom('users')
    .leftJoin('fortitokens', 'fortitokens.serial', 'users.tokenSerial');
  const text = query.text;
  if (text !== undefined && text !== '') {
    select = select.where((eb) =>
      eb.or([startsWith('users.name', text), startsWith('users.email', text)]),
    );
  }
  if (query.twoFactor !== undefined) select = select.where('users.twoFactor', '=', query.twoFactor);
  if (query.tokenState === 'none') select = select.where('users.tokenSerial', 'is', null);
  else if (query.tokenState !== undefined) {
    select = select.where('fortitokens.state', '=', query.tokenState);
  }
  if (query.locked !== undefined) {
    const locked = sql<SqlBool>`(users.locked_at is not null and (users.locked_until is null or users.locked_until > ${now}))`;
    select = select.where(query.locked ? locked : sql<SqlBool>`not ${locked}`);
  }
  const group = query.group;
  if (group !== undefined) {
    select = select.where((eb) =>
      eb.or([
        eb('users.enrolledBy', '=', group.name),
        ...(group.members.length === 0 ? [] : [eb('users.name', 'in', group.members)]),
      ]),
    );
  }
  const direction = query.descending ? 'desc' : 'asc';
  const rows = await select
    .select([
      'users.name',
      'users.email',
      'users.smsPhone',
      'users.twoFactor',
      'users.tokenSerial',
      'users.status',
      'users.failCount',
      'users.lockedAt',
      'users.lockedUntil',
      'users.createdAt',
      'users.updatedAt',
      'users.ldapServer',
      'users.enrolledBy',
      'users.directoryGoneAt',
      'fortitokens.state as tokenState',
      'fortitokens.status as tokenStatus',
    ])
    .orderBy(`users.${query.sort}`, direction)
    .orderBy('users.name', direction)
    .offset(query.offset)
    .limit(query.limit)
    .execute();
  const total = await countUpToCap(db, select.select('users.name'));
  return { users: rows, total: Math.min(total, COUNT_CAP), totalCapped: total > COUNT_CAP };
}
