import { isTokenwardError } from '../core/errors.js';
import type { GatewayContext } from './context.js';
import { resendActivation } from './token-activation.js';
import { deleteUser, setUser, showUser, unlockUser } from './users.js';

export type BulkUserAction = 'activation' | 'disable' | 'enable' | 'delete';

/**
 * One action on each of a selection of users, each its own use case (and transaction), so one
 * user's failure (no e-mail address, a token active on a phone) is reported by name and the
 * others still happen. `activation` sends or resends (never reprovisions a phone's token) and
 * assigns a free token to a user who has none; `enable` also lifts a lockout.
 */
export async function bulkUsers(
  ctx: GatewayContext,
  action: BulkUserAction,
  names: readonly string[],
  now: number,
) {
  const done: string[] = [];
  const failed: { name: string; message: string }[] = [];
  for (const name of new Set(names)) {
    try {
      switch (action) {
        case 'activation': {
          const user = await showUser(ctx, name);
          if (user.tokenSerial === null) {
            await setUser(ctx, name, { token: 'auto', twoFactor: 'fortitoken' }, now);
          } else await resendActivation(ctx, user.tokenSerial, now);
          break;
        }
        case 'disable':
        case 'enable':
          await setUser(ctx, name, { status: action }, now);
          if (action === 'enable') await unlockUser(ctx, name, now);
          break;
        case 'delete':
          await deleteUser(ctx, name, now);
          break;
      }
      done.push(name);
    } catch (error) {
      if (!isTokenwardError(error) || error.status >= 500) throw error;
      failed.push({ name, message: error.message });
    }
  }
  return { done, failed };
}
