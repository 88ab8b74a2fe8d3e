import { isTokenwardError } from '../../core/errors.js';
import type { User } from '../../store/repositories/user-repository.js';
import type { AuthContext } from './auth-context.js';

/**
 * After a right password: a hash made with older parameters (scrypt, weaker argon2id) is made
 * again with the current ones, beside the login rather than in its way. A rehash that cannot run
 * now (the hash queue is full, the store is away) waits for the next login.
 */
export function rehashIfOld(ctx: AuthContext, user: User, password: string): void {
  if (!ctx.passwords.needsRehash(user.passwordHash)) return;
  void (async () => {
    const stronger = await ctx.passwords.hash(password);
    await ctx.store.users.replacePasswordHash(user.name, user.passwordHash, stronger, ctx.clock());
  })().catch((error: unknown) =>
    ctx.log.warn(
      { user: user.name, code: isTokenwardError(error) ? error.code : 'TW_INTERNAL' },
      'password rehash left for the next login',
    ),
  );
}
