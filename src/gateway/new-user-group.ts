import { TokenwardError } from '../core/errors.js';
import { parseName } from '../core/names.js';
import { parseReplyAttribute } from '../protocol/radius/reply-dictionary.js';
import type { GroupMatch, UserGroup } from '../store/repositories/user-group-repository.js';

export interface UserGroupInput {
  readonly name: string;
  /** Local users (FortiOS `set member`). */
  readonly members?: readonly string[];
  /** Directory groups whose members belong (FortiOS `config match`). */
  readonly matches?: readonly GroupMatch[];
  /** `Name=value` reply attributes for every Access-Accept of a member. */
  readonly radiusAttributes?: readonly string[];
  /** The directory sync gives every member of `matches` a local entry and a token. */
  readonly autoEnrol?: boolean;
  /** Where auto-enrolled members' tokens come from (a licence imported here); any when absent. */
  readonly licence?: string;
  /** `disable`: members log in with the first factor alone (break-glass), with a warning. */
  readonly twoFactor?: 'enable' | 'disable';
}

/** A user group from its input, each part checked (what it names is checked on saving). */
export function newUserGroup(input: UserGroupInput, now: number): UserGroup {
  const group: UserGroup = {
    name: parseName(input.name, 'group name'),
    members: [...new Set(input.members ?? [])],
    matches: (input.matches ?? []).map((match) => {
      const group = match.group.trim();
      if (group === '' || !group.includes('=') || group.length > 512) {
        throw new TokenwardError('TW_INPUT_INVALID', {
          message: 'A match is SERVER:GROUP-DN, e.g. corp:cn=vpn,ou=groups,dc=example,dc=com.',
          data: { field: '--match' },
        });
      }
      return { server: match.server, group };
    }),
    radiusAttributes: (input.radiusAttributes ?? []).map((text) => {
      const { name, value } = parseReplyAttribute(text, '--radius-attribute');
      return `${name}=${value}`;
    }),
    autoEnrol: input.autoEnrol ?? false,
    licence: input.licence ?? null,
    twoFactor: input.twoFactor ?? 'enable',
    updatedAt: now,
  };
  if (group.autoEnrol && group.matches.length === 0) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message:
        'An auto-enrol group enrols the members of directory groups: give at least one --match SERVER:GROUP-DN.',
      data: { field: '--auto-enrol' },
    });
  }
  return group;
}
