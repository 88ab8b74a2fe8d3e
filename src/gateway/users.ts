import { TokenwardError } from '../core/errors.js';
import type { EnableStatus, TwoFactor } from '../core/login-terms.js';
import { parseEmailAddress, parseName, parsePhoneNumber } from '../core/names.js';
import { checkPasswordPolicy, PASSWORD_MIN_LENGTH } from '../core/password-policy.js';
import { hashPassword } from '../crypto/password-hash.js';
import type { User } from '../store/repositories/user-repository.js';
import { notFound } from '../store/unique-violation.js';
import { audit, type GatewayContext } from './context.js';
import { newUser } from './new-user.js';
import { provisionToken } from './token-activation.js';
import { freeToken, tokenNamed } from './token-lookup.js';

export interface NewUser {
  readonly name: string;
  /** A local password, or (with `ldapServer`) none: the directory checks it. */
  readonly password?: string;
  /** The LDAP server that checks this user's password (FortiOS `set type ldap`). */
  readonly ldapServer?: string;
  readonly email?: string;
  readonly sms?: string;
  readonly twoFactor?: TwoFactor;
  /** A serial, `auto` for a free token of the licences, or none. */
  readonly token?: string;
}

export interface UserChange {
  readonly email?: string | null;
  readonly sms?: string | null;
  readonly twoFactor?: TwoFactor;
  /** A serial, `auto` for a free token, `none` to take the token away. */
  readonly token?: string;
  readonly status?: EnableStatus;
}

/** A user as shown to admins: everything but the password hash. */
export type ShownUser = Omit<User, 'passwordHash'>;

const shown = ({ passwordHash: _hash, ...user }: User): ShownUser => user;

/** Adds a local user; with a token (or `auto`) the activation goes out at once. */
export async function addUser(ctx: GatewayContext, input: NewUser, now: number) {
  if (input.token !== undefined && input.email === undefined && input.sms === undefined) {
    throw new TokenwardError('TW_DELIVERY_ADDRESS_MISSING', { data: { field: '--email' } });
  }
  const tokenSerial =
    input.token === undefined
      ? null
      : input.token === 'auto'
        ? await freeToken(ctx.store)
        : (await tokenNamed(ctx.store, input.token)).serial;
  const name = parseName(input.name, 'user name');
  const email = input.email === undefined ? null : parseEmailAddress(input.email, '--email');
  const smsPhone = input.sms === undefined ? null : parsePhoneNumber(input.sms, '--sms');
  const passwordHash = await userPasswordHash(ctx, input, name);
  const twoFactor = input.twoFactor ?? (tokenSerial === null ? 'disable' : 'fortitoken');
  // A single-factor user only when asked for in so many words (`--no-two-factor`).
  if (
    twoFactor === 'disable' &&
    input.twoFactor !== 'disable' &&
    (await ctx.settings.policy()).twoFactorRequired
  ) {
    throw new TokenwardError('TW_TWO_FACTOR_REQUIRED', { data: { field: '--token' } });
  }
  const user: User = {
    ...newUser(name, passwordHash, now),
    ldapServer: input.ldapServer ?? null,
    email,
    smsPhone,
    twoFactor,
    tokenSerial,
  };
  await ctx.store.transaction(async (tx) => {
    await tx.users.create(user);
    await audit(
      tx,
      {
        actor: ctx.actor,
        action: 'user.add',
        subject: user.name,
        ...(twoFactor === 'disable' ? { detail: { twoFactor: 'disable' } } : {}),
      },
      now,
    );
  });
  const provisioned =
    tokenSerial === null ? undefined : await provisionToken(ctx, tokenSerial, now);
  return { name: user.name, token: tokenSerial, delivered: provisioned?.delivered };
}

/** Changes a user; a newly assigned token is provisioned and its activation sent at once. */
export async function setUser(ctx: GatewayContext, name: string, change: UserChange, now: number) {
  const user = await userNamed(ctx, name);
  const tokenSerial =
    change.token === undefined
      ? user.tokenSerial
      : change.token === 'none'
        ? null
        : change.token === 'auto'
          ? await freeToken(ctx.store)
          : (await tokenNamed(ctx.store, change.token)).serial;
  await ctx.store.transaction(async (tx) => {
    await tx.users.update(name, {
      ...(change.email === undefined
        ? {}
        : { email: change.email === null ? null : parseEmailAddress(change.email, '--email') }),
      ...(change.sms === undefined
        ? {}
        : { smsPhone: change.sms === null ? null : parsePhoneNumber(change.sms, '--sms') }),
      ...(change.twoFactor === undefined ? {} : { twoFactor: change.twoFactor }),
      ...(change.status === undefined ? {} : { status: change.status }),
      tokenSerial,
      updatedAt: now,
    });
    await audit(tx, { actor: ctx.actor, action: 'user.set', subject: name }, now);
  });
  const assigned = tokenSerial !== null && tokenSerial !== user.tokenSerial ? tokenSerial : null;
  return {
    name,
    token: tokenSerial,
    delivered: assigned === null ? undefined : (await provisionToken(ctx, assigned, now)).delivered,
  };
}

export async function showUser(ctx: GatewayContext, name: string): Promise<ShownUser> {
  return shown(await userNamed(ctx, name));
}

export async function listUsers(ctx: GatewayContext): Promise<ShownUser[]> {
  return (await ctx.store.users.list()).map(shown);
}

export async function deleteUser(ctx: GatewayContext, name: string, now: number): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.users.remove(name))) throw notFound(`User "${name}"`);
    await audit(tx, { actor: ctx.actor, action: 'user.delete', subject: name }, now);
  });
}

/** Clears a lockout and the failure count. */
export async function unlockUser(ctx: GatewayContext, name: string, now: number): Promise<void> {
  await ctx.store.transaction(async (tx) => {
    if (!(await tx.users.unlock(name, now))) throw notFound(`User "${name}"`);
    await audit(tx, { actor: ctx.actor, action: 'user.unlock', subject: name }, now);
  });
}

async function userNamed(ctx: GatewayContext, name: string): Promise<User> {
  const user = await ctx.store.users.find(name);
  if (user === undefined) throw notFound(`User "${name}"`);
  return user;
}

/**
 * A local user's password hash, or '' for a directory user (no local password: nothing can
 * match it); exactly one of the two is given.
 */
async function userPasswordHash(
  ctx: GatewayContext,
  input: NewUser,
  name: string,
): Promise<string> {
  if (input.ldapServer !== undefined) {
    if (input.password !== undefined) {
      throw new TokenwardError('TW_INPUT_INVALID', {
        message:
          'A user whose password the LDAP server checks has no local password: give one of --ldap-server and a password.',
        data: { field: '--ldap-server' },
      });
    }
    if ((await ctx.store.ldapServers.find(input.ldapServer)) === undefined) {
      throw notFound(`LDAP server "${input.ldapServer}"`);
    }
    return '';
  }
  if (input.password === undefined) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: 'A local user needs a password (--password-stdin), or --ldap-server NAME.',
      data: { field: 'password' },
    });
  }
  checkPasswordPolicy(input.password, {
    minLength: PASSWORD_MIN_LENGTH.user,
    username: name,
    field: 'password',
  });
  return hashPassword(input.password);
}

/** Sets a local user's password (policy-checked) and lifts a lockout it may have caused. */
export async function setUserPassword(
  ctx: GatewayContext,
  name: string,
  password: string,
  now: number,
): Promise<void> {
  const user = await userNamed(ctx, name);
  if (user.ldapServer !== null) {
    throw new TokenwardError('TW_INPUT_INVALID', {
      message: `${user.name}'s password is checked by the LDAP server ${user.ldapServer}: change it in the directory.`,
      data: { field: 'password' },
    });
  }
  checkPasswordPolicy(password, {
    minLength: PASSWORD_MIN_LENGTH.user,
    username: user.name,
    field: 'password',
  });
  const passwordHash = await hashPassword(password);
  await ctx.store.transaction(async (tx) => {
    await tx.users.update(user.name, { passwordHash, updatedAt: now });
    await tx.users.unlock(user.name, now);
    await audit(tx, { actor: ctx.actor, action: 'user.password', subject: user.name }, now);
  });
}
