import { isTokenwardError, TokenwardError } from '../../core/errors.js';
import { warningCatalog } from '../../core/warnings.js';
import type { UserGroup } from '../../store/repositories/user-group-repository.js';
import type { User } from '../../store/repositories/user-repository.js';
import { ldapServerWithSecret } from '../ldap-servers.js';
import type { AuthContext } from './auth-context.js';
import type { AuthOutcome, LoginContext } from './auth-outcome.js';
import { tokenCodeDecision } from './code-answer.js';
import type { CodeAppended, FirstFactorVerdict } from './first-factor.js';
import {
  directoryGroupsToCheck,
  groupsAdmitted,
  groupsOf,
  secondFactorWaived,
} from './group-membership.js';
import { concludeLogin } from './login-decision.js';
import { userBarred } from './login-session.js';
import { startLogin } from './login-start.js';
import { rehashIfOld } from './password-rehash.js';
import { challengeSecondFactor } from './second-factor.js';

export interface PasswordLogin {
  readonly username: string;
  readonly password: string;
  /** The second factor given with the first (append mode). */
  readonly code?: string;
  /**
   * RADIUS append mode: the code may trail the password (`optional`: or the password may be all
   * there is, and a challenge follows; `required`: it must).
   */
  readonly codeAppended?: CodeAppended;
  readonly context: LoginContext;
}

/**
 * The first factor. With a code (RADIUS append mode: password and code in one request) a
 * FortiToken user is checked in one go; otherwise a user with a second factor gets a challenge.
 */
export async function passwordLogin(ctx: AuthContext, input: PasswordLogin): Promise<AuthOutcome> {
  const { attempt, user, token, policy, sourceBlocked } = await startLogin(ctx, {
    username: input.username,
    method: 'password',
    context: input.context,
  });
  // A source held back by its failures is refused before any password is checked.
  if (sourceBlocked) {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'source-blocked' });
  }
  const groupConfig = await ctx.groups.all();
  // A directory user's bind also says which matched directory groups they are in.
  const directory = { memberOf: [] as string[] };
  let password: FirstFactorVerdict;
  try {
    password = await ctx.firstFactor({
      stored: user?.passwordHash,
      check:
        user === undefined ? undefined : await directoryCheck(ctx, user, groupConfig, directory),
      given: input.password,
      codeAppended: input.codeAppended,
      digits: user?.twoFactor === 'fortitoken' ? token?.digits : undefined,
    });
  } catch (error) {
    const refused =
      isTokenwardError(error, 'TW_DIRECTORY_UNAVAILABLE') ||
      isTokenwardError(error, 'TW_LDAP_SERVICE_BIND_FAILED');
    if (!refused) throw error;
    const outcome = await concludeLogin(ctx, attempt, {
      result: 'reject',
      reason: 'directory-unavailable',
      detail: error.code,
    });
    // No answer, when so set: the NAS fails over to its next RADIUS server (docs/auth.md).
    if (policy.directoryDown === 'no-answer') throw error;
    return outcome;
  }
  if (user === undefined) {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'unknown-user' });
  }
  if (!password.right && password.hashInvalid === true) {
    ctx.log.error({ user: user.name }, 'stored password hash is malformed: set the password again');
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'password-hash-invalid' });
  }
  const code = password.right ? (password.code ?? input.code) : input.code;
  const barred = userBarred(user, ctx.clock());
  if (barred !== undefined)
    return concludeLogin(ctx, attempt, { result: 'reject', reason: barred });
  if (!password.right) {
    return concludeLogin(ctx, attempt, {
      result: 'reject',
      reason: 'password-mismatch',
      failure: 'password',
    });
  }
  if (user.ldapServer === null) rehashIfOld(ctx, user, password.password);
  const groups = groupsOf(groupConfig, user, directory.memberOf);
  // Checked before a second factor is asked for: no push reaches a phone for a refused login.
  if (!groupsAdmitted(input.context, groups)) {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'group-not-allowed' });
  }
  if (user.twoFactor === 'disable') {
    return concludeLogin(ctx, attempt, { result: 'accept', reason: 'password', groups });
  }
  if (secondFactorWaived(groupConfig, groups)) {
    ctx.log.warn(
      { code: 'TW_WARN_TWO_FACTOR_WAIVED', user: user.name, groups },
      warningCatalog.TW_WARN_TWO_FACTOR_WAIVED,
    );
    return concludeLogin(ctx, attempt, { result: 'accept', reason: 'two-factor-waived', groups });
  }
  if (code !== undefined && user.twoFactor === 'fortitoken') {
    return concludeLogin(
      ctx,
      { ...attempt, method: 'fortitoken' },
      await tokenCodeDecision(ctx, { user, code, context: input.context, token, groups }),
    );
  }
  if (input.codeAppended === 'required') {
    return concludeLogin(ctx, attempt, { result: 'reject', reason: 'code-missing' });
  }
  return concludeLogin(
    ctx,
    attempt,
    await challengeSecondFactor(ctx, { user, token }, input.context, policy, groups),
  );
}

/**
 * For a directory user (`set type ldap`), the password check: a bind as them on their LDAP
 * server; undefined for a local user (the stored hash checks it).
 */
async function directoryCheck(
  ctx: AuthContext,
  user: User,
  groups: readonly UserGroup[],
  /** Where the directory groups confirmed by the right password's bind go. */
  found: { memberOf: string[] },
): Promise<((password: string) => Promise<boolean>) | undefined> {
  if (user.ldapServer === null) return undefined;
  const server = await ldapServerWithSecret(ctx, user.ldapServer);
  if (server === undefined) {
    throw new TokenwardError('TW_DIRECTORY_UNAVAILABLE', { data: { field: user.ldapServer } });
  }
  const candidates = directoryGroupsToCheck(groups, server.name);
  return async (password) => {
    const { verdict, memberOf } = await ctx.directory.authenticate(
      server,
      user.name,
      password,
      candidates,
    );
    if (verdict === 'right') found.memberOf = memberOf;
    return verdict === 'right';
  };
}
