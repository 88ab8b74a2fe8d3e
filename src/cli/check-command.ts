import { checkDatabase } from '../maintenance/check-sealed-values.js';
import { command, type Output } from './command.js';
import { type DataOptions, databaseUrl, withDataOptions } from './data-options.js';

/** `tokenward check`: every sealed value opens with the master key (after a restore, a pg_dump). */
export function checkCommand(output: Output) {
  return withDataOptions(
    command(
      'check',
      'open every sealed secret of the database with the master key, e.g. after restoring a pg_dump',
    ),
  ).action(async (options: DataOptions) => {
    const counts = await checkDatabase({
      dataDir: options.data,
      databaseUrl: databaseUrl(options),
      masterKeyFromEnvironment: process.env.TOKENWARD_MASTER_KEY,
      now: Date.now(),
    });
    for (const [where, count] of counts) output.out(`  ${where}: ${count}`);
    const total = [...counts.values()].reduce((sum, count) => sum + count, 0);
    output.out(`The database opens with this master key: ${total} sealed values checked.`);
  });
}
