import { isTokenwardError, TokenwardError } from '../core/errors.js';
import { parseEmailAddress, parseName, parsePhoneNumber } from '../core/names.js';
import type { User } from '../store/repositories/user-repository.js';
import { audit, type GatewayContext } from './context.js';
import {
  type DirectoryListing,
  readDirectoryMembers,
  type SyncFailure,
  type WantedMember,
} from './directory-members.js';
import { newUser } from './new-user.js';
import { provisionToken } from './token-activation.js';
import { revokeToken } from './token-admin.js';
import { freeTokens } from './token-lookup.js';

/** What one sync did (also the detail of its audit entry, names left out). */
export interface SyncReport {
  /** Members given a local entry and a token (or, after a failure, the token at last). */
  readonly added: string[];
  /** Enrolled users the directory still lists (their mail and phone kept up to date). */
  readonly kept: number;
  /** Enrolled users the directory stopped listing this time: their grace period began. */
  readonly leaving: string[];
  /** Enrolled users gone for longer than the grace period: token revoked, entry removed. */
  readonly removed: string[];
  readonly failed: SyncFailure[];
  /**
   * Set when the share of enrolled users newly found gone was above `directory-removal-limit`:
   * nobody was marked leaving or removed; `gateway ldap sync --confirm-removals` goes ahead.
   */
  readonly held?: {
    readonly gone: number;
    readonly enrolled: number;
    readonly limitPercent: number;
  };
}

/** Members enrolled at once: few enough for a mail server's per-client connection limit. */
const ENROLMENTS_AT_ONCE = 8;

/** Who a sync acts as in the audit trail: the background loop, or an admin asking for it. */
export type SyncActor = 'directory-sync' | 'admin';

/**
 * Syncs the auto-enrol groups with the directory: every enabled member found gets a local
 * entry (`type ldap`), a free token of the group's licence and the activation by e-mail, or
 * SMS when the directory has no mail; an enrolled user the directory no longer lists (left the
 * group, or disabled in AD) keeps the token for `directory-removal-grace` hours, then it is
 * revoked and the entry removed, which returns the seat. Idempotent: a second run adds nothing.
 * A directory that could not be read removes nobody it enrolled. One member's failure is
 * reported and retried at the next run; it never stops the others.
 */
export async function syncDirectory(
  ctx: GatewayContext,
  now: number,
  options: { readonly actor: SyncActor; readonly confirmRemovals?: boolean },
): Promise<SyncReport> {
  const groups = (await ctx.store.userGroups.list()).filter((group) => group.autoEnrol);
  const policy = await ctx.settings.policy();
  const listing = await readDirectoryMembers(ctx, groups);
  const users = new Map((await ctx.store.users.list()).map((user) => [user.name, user]));
  const licences = new Map(groups.map((group) => [group.name, group.licence]));
  // Free tokens read once per licence and handed out in turn (not one read per member).
  const free = new Map<string | null, Promise<string[]>>();
  const takeFreeToken = async (group: string) => {
    const licence = licences.get(group) ?? null;
    let serials = free.get(licence);
    if (serials === undefined) {
      serials = freeTokens(ctx.store, licence === null ? {} : { licence });
      free.set(licence, serials);
    }
    return (await serials).shift();
  };
  const report = { added: [] as string[], kept: 0, failed: [...listing.failures] };

  // A few members at once: each waits on the provisioner and on the mail server's greeting.
  const members = [...listing.wanted.values()];
  for (let at = 0; at < members.length; at += ENROLMENTS_AT_ONCE) {
    const chunk = members.slice(at, at + ENROLMENTS_AT_ONCE);
    const outcomes = await Promise.all(
      chunk.map((wanted) => {
        const user = users.get(wanted.member.name);
        return user === undefined
          ? enrolMember(ctx, wanted, () => takeFreeToken(wanted.group), options.actor, now)
          : keepMember(ctx, user, wanted, now);
      }),
    );
    outcomes.forEach((outcome, index) => {
      if (outcome === 'kept') report.kept++;
      else if (outcome === 'added') report.added.push(chunk[index]?.member.name ?? '');
      else report.failed.push(outcome);
    });
  }

  const enrolled = [...users.values()].filter((user) => user.enrolledBy !== null);
  const gone = enrolled.filter((user) => isGone(user, listing));
  const graceMs = policy.directorySync.removalGraceHours * 3_600_000;
  const leaving = gone.filter((user) => user.directoryGoneAt === null);
  const due = gone.filter(
    (user) => user.directoryGoneAt !== null && now - user.directoryGoneAt >= graceMs,
  );
  // Only the newly gone count: those past their grace were let go by an earlier sync.
  const limit = policy.directorySync.removalLimitPercent;
  const held =
    options.confirmRemovals !== true && leaving.length > removalAllowance(enrolled.length, limit)
      ? { gone: leaving.length, enrolled: enrolled.length, limitPercent: limit }
      : undefined;
  const result: SyncReport = {
    ...report,
    leaving: held === undefined ? await markLeaving(ctx, leaving, now) : [],
    removed:
      held === undefined ? await removeEnrolled(ctx, due, report.failed, options.actor, now) : [],
    ...(held === undefined ? {} : { held }),
  };
  await audit(
    ctx.store,
    {
      actor: options.actor,
      action: 'directory.sync',
      subject: null,
      outcome: held === undefined && result.failed.length === 0 ? 'success' : 'failure',
      detail: {
        added: result.added.length,
        kept: result.kept,
        leaving: result.leaving.length,
        removed: result.removed.length,
        failed: result.failed.length,
        ...(held === undefined ? {} : { held }),
      },
    },
    now,
  );
  return result;
}

/**
 * How many enrolled users one sync may find gone: the limit's share, and never fewer than
 * three, so that on a small gateway a person or two leaving does not stop every sync.
 */
export function removalAllowance(enrolled: number, limitPercent: number): number {
  return Math.max(3, Math.floor((enrolled * limitPercent) / 100));
}

/** Whether the directory no longer lists an enrolled user (and could be asked). */
function isGone(user: User, listing: DirectoryListing): boolean {
  if (user.ldapServer === null || listing.unread.has(user.ldapServer)) return false;
  return listing.wanted.get(user.name)?.server !== user.ldapServer;
}

/** A new local entry with a free token, and the activation sent; a failure says why. */
async function enrolMember(
  ctx: GatewayContext,
  wanted: WantedMember,
  takeFreeToken: () => Promise<string | undefined>,
  actor: SyncActor,
  now: number,
): Promise<'added' | SyncFailure> {
  const { member } = wanted;
  try {
    const name = parseName(member.name, 'user name');
    const address = deliveryAddress(wanted);
    const serial = await takeFreeToken();
    if (serial === undefined) throw new TokenwardError('TW_TOKEN_NO_FREE');
    const user: User = {
      ...newUser(name, '', now),
      ...address,
      ldapServer: wanted.server,
      twoFactor: 'fortitoken',
      tokenSerial: serial,
      enrolledBy: wanted.group,
    };
    await ctx.store.transaction(async (tx) => {
      await tx.users.create(user);
      await audit(
        tx,
        { actor, action: 'user.add', subject: name, detail: { group: wanted.group } },
        now,
      );
    });
    await provisionToken(ctx, serial, now);
    return 'added';
  } catch (error) {
    return failureOf(member.name, error);
  }
}

/**
 * An existing entry of a listed member: one enrolled by a sync has its addresses brought up
 * to date, its grace period ended if it had begun, and its token provisioned if an earlier run
 * could not. An entry an admin made is left alone; a local user of the same name is a failure.
 */
async function keepMember(
  ctx: GatewayContext,
  user: User,
  wanted: WantedMember,
  now: number,
): Promise<'kept' | 'added' | SyncFailure> {
  if (user.ldapServer !== wanted.server) {
    return {
      subject: user.name,
      code: 'TW_STORE_CONFLICT',
      reason: `A user "${user.name}" whose password ${user.ldapServer === null ? 'is local' : `LDAP server ${user.ldapServer} checks`} exists; the directory member is not enrolled over it.`,
    };
  }
  if (user.enrolledBy === null) return 'kept';
  try {
    const address = deliveryAddress(wanted);
    if (
      user.directoryGoneAt !== null ||
      user.email !== address.email ||
      user.smsPhone !== address.smsPhone
    ) {
      await ctx.store.users.update(user.name, {
        ...address,
        directoryGoneAt: null,
        updatedAt: now,
      });
    }
    if (user.tokenSerial !== null && (await tokenStillNew(ctx, user))) {
      await provisionToken(ctx, user.tokenSerial, now);
      return 'added';
    }
    return 'kept';
  } catch (error) {
    return failureOf(user.name, error);
  }
}

/** Whether the user's token was never provisioned (an earlier run failed half-way). */
async function tokenStillNew(ctx: GatewayContext, user: User): Promise<boolean> {
  if (user.tokenSerial === null) return false;
  return (await ctx.store.fortitokens.find(user.tokenSerial))?.state === 'new';
}

/** The member's mail and mobile as the directory has them; at least one must be usable. */
function deliveryAddress(wanted: WantedMember): { email: string | null; smsPhone: string | null } {
  const usable = (value: string | null, parse: (value: string) => string) => {
    if (value === null) return null;
    try {
      return parse(value);
    } catch {
      return null;
    }
  };
  const email = usable(wanted.member.email, (v) => parseEmailAddress(v, 'email-attr'));
  const smsPhone = usable(wanted.member.phone, (v) => parsePhoneNumber(v, 'phone-attr'));
  if (email === null && smsPhone === null) {
    throw new TokenwardError('TW_DELIVERY_ADDRESS_MISSING', {
      message: `The directory has no usable e-mail address or mobile number for ${wanted.member.dn}: fill its mail or mobile attribute (email-attr, phone-attr of LDAP server ${wanted.server}).`,
      data: { field: 'email-attr' },
    });
  }
  return { email, smsPhone };
}

async function markLeaving(ctx: GatewayContext, users: readonly User[], now: number) {
  for (const user of users) {
    await ctx.store.users.update(user.name, { directoryGoneAt: now, updatedAt: now });
  }
  return users.map((user) => user.name);
}

/** Revokes each user's token (the phone stops working, the seat is free) and removes them. */
async function removeEnrolled(
  ctx: GatewayContext,
  users: readonly User[],
  failed: SyncFailure[],
  actor: SyncActor,
  now: number,
): Promise<string[]> {
  const removed: string[] = [];
  for (const user of users) {
    try {
      const token =
        user.tokenSerial === null ? undefined : await ctx.store.fortitokens.find(user.tokenSerial);
      if (token !== undefined && token.state !== 'new') await revokeToken(ctx, token.serial, now);
      await ctx.store.transaction(async (tx) => {
        await tx.users.remove(user.name);
        await audit(
          tx,
          {
            actor,
            action: 'user.delete',
            subject: user.name,
            detail: { reason: 'gone from the directory', since: user.directoryGoneAt },
          },
          now,
        );
      });
      removed.push(user.name);
    } catch (error) {
      failed.push(failureOf(user.name, error));
    }
  }
  return removed;
}

function failureOf(subject: string, error: unknown): SyncFailure {
  if (!isTokenwardError(error)) throw error;
  return { subject, code: error.code, reason: error.message };
}
