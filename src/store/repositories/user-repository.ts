import type { Kysely, Selectable, Updateable } from 'kysely';
import type { Database, UsersTable } from '../schema.js';
import { insertOrConflict } from '../unique-violation.js';

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

export function createUserRepository(db: Kysely<Database>) {
  return {
    async create(user: User): Promise<void> {
      await insertOrConflict(`User "${user.name}"`, () =>
        db.insertInto('users').values(user).execute(),
      );
    },

    find(name: string): Promise<User | undefined> {
      return db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
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
