import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';

/** A directory group whose members belong to a user group. */
export interface GroupMatch {
  /** The LDAP server (`config user ldap`) the directory group is on. */
  readonly server: string;
  /** The directory group's DN. */
  readonly group: string;
}

/** A user group as the gateway uses it (`config user group`). */
export interface UserGroup {
  readonly name: string;
  readonly members: readonly string[];
  readonly matches: readonly GroupMatch[];
  /** `Name=value`, names from the RADIUS reply dictionary. */
  readonly radiusAttributes: readonly string[];
  /** The directory sync gives every member of the matched directory groups a token. */
  readonly autoEnrol: boolean;
  /** The licence auto-enrolled members' tokens come from; null: any. */
  readonly licence: string | null;
  /** `disable`: members pass with the first factor alone (break-glass). */
  readonly twoFactor: 'enable' | 'disable';
  readonly updatedAt: number;
}

export function createUserGroupRepository(db: Kysely<Database>) {
  const row = (group: UserGroup) => ({
    name: group.name,
    members: JSON.stringify(group.members),
    matches: JSON.stringify(group.matches),
    radiusAttributes: JSON.stringify(group.radiusAttributes),
    autoEnrol: group.autoEnrol ? 1 : 0,
    licence: group.licence,
    twoFactor: group.twoFactor,
    updatedAt: group.updatedAt,
  });
  return {
    /** Adds the group, or replaces the one of its name; true when it replaced one. */
    async save(group: UserGroup): Promise<boolean> {
      const { name, ...fields } = row(group);
      const replaced = await db
        .updateTable('userGroups')
        .set(fields)
        .where('name', '=', name)
        .executeTakeFirst();
      if (replaced.numUpdatedRows === 1n) return true;
      await db.insertInto('userGroups').values(row(group)).execute();
      return false;
    },

    async list(): Promise<UserGroup[]> {
      const rows = await db.selectFrom('userGroups').selectAll().orderBy('name').execute();
      return rows.map((stored) => ({
        name: stored.name,
        members: JSON.parse(stored.members) as string[],
        matches: JSON.parse(stored.matches) as GroupMatch[],
        radiusAttributes: JSON.parse(stored.radiusAttributes) as string[],
        autoEnrol: Number(stored.autoEnrol) === 1,
        licence: stored.licence,
        twoFactor: stored.twoFactor,
        updatedAt: stored.updatedAt,
      }));
    },

    async remove(name: string): Promise<boolean> {
      const result = await db.deleteFrom('userGroups').where('name', '=', name).executeTakeFirst();
      return result.numDeletedRows === 1n;
    },
  };
}

export type UserGroupRepository = ReturnType<typeof createUserGroupRepository>;
