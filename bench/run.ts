/**
 * `npm run bench [-- name ...]`: runs the named benchmarks, or all. Each prints its figure beside
 * a baseline measured in the same run; docs/PERFORMANCE.md records the latest figures.
 */
import { benchActivation } from './activation.js';
import { benchApp } from './app.js';
import { benchAuth } from './auth.js';
import { benchConsole } from './console.js';
import { benchFailover } from './failover.js';
import { benchHttpLogin } from './http-login.js';
import { benchLdap } from './ldap.js';
import { benchOtp } from './otp.js';
import { benchPoll } from './poll.js';
import { benchRadius } from './radius.js';

const benchmarks: Record<string, () => void | Promise<void>> = {
  otp: benchOtp,
  poll: benchPoll,
  activation: benchActivation,
  auth: benchAuth,
  radius: benchRadius,
  'http-login': benchHttpLogin,
  ldap: benchLdap,
  app: benchApp,
  console: benchConsole,
};
/** Run only when named: it restarts the machine's PostgreSQL. */
const onlyWhenNamed: Record<string, () => Promise<void>> = { failover: benchFailover };

const wanted = process.argv.slice(2);
for (const name of wanted.length > 0 ? wanted : Object.keys(benchmarks)) {
  const benchmark = benchmarks[name] ?? onlyWhenNamed[name];
  if (benchmark === undefined) {
    console.error(
      `Unknown benchmark "${name}". Known: ${[...Object.keys(benchmarks), ...Object.keys(onlyWhenNamed)].join(', ')}`,
    );
    process.exitCode = 2;
    break;
  }
  await benchmark();
}
