import { createAuthEngine } from './auth/auth-engine.js';
import type { PasswordHasher } from './auth/first-factor.js';
import { createGateway, type GatewayDependencies } from './gateway.js';

/**
 * One gateway node: its management side and its auth engine, sharing the store, the clock and
 * the way to the provisioner (pushes go where polls go).
 */
export function createGatewayNode(deps: GatewayDependencies & { passwords?: PasswordHasher }) {
  const gateway = createGateway(deps);
  const auth = createAuthEngine({
    store: deps.store,
    cipher: deps.cipher,
    log: deps.log,
    notifier: deps.notifier,
    connection: gateway.connection,
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    ...(deps.serial === undefined ? {} : { node: deps.serial }),
    ...(deps.passwords === undefined ? {} : { passwords: deps.passwords }),
  });
  return { gateway, auth };
}
