import { type Kysely, type Selectable, sql, type Updateable } from 'kysely';
import type { Database, FortitokensTable, UsersTable } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';
import type { Fortitoken } from './fortitoken-repository.js';
import { searchUsers, type UserPage, type UserSearch } from './user-search.js';

/** A local user of the gateway (`config user local`). */
export type User = Selectable<UsersTable>;

export interface LockoutPolicy {
  /** `auth-lockout-threshold`: consecutive failures that lock the user. */
  readonly threshold: number;
  /** `auth-lockout-duration` in seconds; 0 locks until an admin unlocks. */
  readonly durationSeconds: number;
}

export interface FailureOutcome {
  readonly failCount: number;
  /** True when this failure reached the threshold and locked the user. */
  readonly locked: boolean;
  readonly lockedUntil: number | null;
}

/** True while the user is locked out at `now`. */
export function isUserLocked(user: Pick<User, 'lockedAt' | 'lockedUntil'>, now: number): boolean {
  return user.lockedAt !== null && (user.lockedUntil === null || user.lockedUntil > now);
}

/** Every column of the gateway's token table, as the store's rows name them. */
const TOKEN_COLUMNS = [
  'serial',
  'licence',
  'status',
  'state',
  'lockedFrom',
  'algorithm',
  'digits',
  'period',
  'seedEnc',
  'seedVersion',
  'activationCodeEnc',
  'activationExpiresAt',
  'regId',
  'osVer',
  'comments',
  'drift',
  'lastStep',
  'updatedAt',
] as const satisfies readonly (keyof FortitokensTable)[];
// A column added to the table and not here fails the type check.
const everyTokenColumn: Exclude<
  keyof FortitokensTable,
  (typeof TOKEN_COLUMNS)[number]
> extends never
  ? true
  : never = true;
void everyTokenColumn;

const snakeCase = (column: string) => column.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
/** Selected beside the user's columns as `t_<column>`, which come back as `t<Column>`. */
const TOKEN_SELECTION = sql.raw(
  TOKEN_COLUMNS.map((c) => `fortitokens.${snakeCase(c)} as t_${snakeCase(c)}`).join(', '),
);
const TOKEN_KEYS = new Map<string, string>(
  TOKEN_COLUMNS.map((c) => [`t${c[0]?.toUpperCase()}${c.slice(1)}`, c]),
);

export function createUserRepository(db: Kysely<Database>) {
  return {
    async create(user: User): Promise<void> {
      await insertOrConflict(`User "${user.name}"`, () =>
        db.insertInto('users').values(user).execute(),
      );
    },

    /** Several users in one statement (an import; a benchmark's seed). */
    async createMany(users: readonly User[]): Promise<void> {
      if (users.length === 0) return;
      await insertOrConflict('A user with one of these names', () =>
        db.insertInto('users').values(users).execute(),
      );
    },

    find(name: string): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    },

    /**
     * The user and the token assigned to them in one query: what every login reads first (the
     * token's digits split an appended code, its seed checks it). Written as SQL: the query
     * builder's cost for this select was six times the database's.
     */
    async findWithToken(
      name: string,
    ): Promise<{ user: User; token: Fortitoken | undefined } | undefined> {
      const { rows } = await sql<Record<string, unknown>>`select users.*, ${TOKEN_SELECTION}
        from users left join fortitokens on fortitokens.serial = users.token_serial
        where users.name = ${name}`.execute(db);
      const row = rows[0];
      if (row === undefined) return undefined;
      const user: Record<string, unknown> = {};
      const token: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(row)) {
        const column = TOKEN_KEYS.get(key);
        if (column === undefined) user[key] = value;
        else token[column] = value;
      }
      // The columns are the tables' own (the schema types them); no serial means no token.
      return {
        user: user as User,
        token: token.serial === null ? undefined : (token as Fortitoken),
      };
    },

    findByToken(tokenSerial: string): Promise<User | undefined> {
      return db
        .selectFrom('users')
        .selectAll()
        .where('tokenSerial', '=', tokenSerial)
        .executeTakeFirst();
    },

    list(): Promise<User[]> {
      return db.selectFrom('users').selectAll().orderBy('name').execute();
    },

    /** One page of the console's users table (see `searchUsers`). */
    search(query: UserSearch, now: number): Promise<UserPage> {
      return searchUsers(db, query, now);
    },

    async update(name: string, patch: Updateable<UsersTable>): Promise<boolean> {
      const result = await db
        .updateTable('users')
        .set(patch)
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    /**
     * Swaps the stored hash for a stronger one of the same password, only if it is still `from`
     * (an admin who set a new password meanwhile wins).
     */
    async replacePasswordHash(name: string, from: string, to: string, now: number) {
      const result = await db
        .updateTable('users')
        .set({ passwordHash: to, updatedAt: now })
        .where('name', '=', name)
        .where('passwordHash', '=', from)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },

    async remove(name: string): Promise<boolean> {
      const result = await db.deleteFrom('users').where('name', '=', name).executeTakeFirst();
      return result.numDeletedRows === 1n;
    },

    /**
     * Counts one failed login in a single UPDATE, so failures on several nodes add up exactly.
     * Reaching the threshold locks the user and restarts the count for after the lockout.
     */
    async recordFailure(
      name: string,
      policy: LockoutPolicy,
      now: number,
    ): Promise<FailureOutcome | undefined> {
      const lockedUntil = policy.durationSeconds === 0 ? null : now + policy.durationSeconds * 1000;
      const row = await db
        .updateTable('users')
        .set((eb) => {
          const reached = eb(eb('failCount', '+', 1), '>=', policy.threshold);
          return {
            failCount: eb
              .case()
              .when(reached)
              .then(0)
              .else(eb('failCount', '+', 1))
              .end(),
            lockedAt: eb.case().when(reached).then(now).else(eb.ref('lockedAt')).end(),
            lockedUntil: eb
              .case()
              .when(reached)
              .then(lockedUntil)
              .else(eb.ref('lockedUntil'))
              .end(),
            updatedAt: now,
          };
        })
        .where('name', '=', name)
        .returning(['failCount', 'lockedAt', 'lockedUntil'])
        .executeTakeFirst();
      if (row === undefined) return undefined;
      return {
        failCount: row.failCount,
        locked: row.lockedAt === now,
        lockedUntil: row.lockedUntil,
      };
    },

    /** After a successful login, or by an admin: no failures counted, no lockout. */
    async unlock(name: string, now: number): Promise<boolean> {
      const result = await db
        .updateTable('users')
        .set({ failCount: 0, lockedAt: null, lockedUntil: null, updatedAt: now })
        .where('name', '=', name)
        .executeTakeFirst();
      return result.numUpdatedRows === 1n;
    },
  };
}

export type UserRepository = ReturnType<typeof createUserRepository>;
