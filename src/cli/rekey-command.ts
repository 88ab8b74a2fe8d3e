import { rekey } from '../maintenance/rekey.js';
import { command, type Output, parseInteger } from './command.js';
import { type DataOptions, databaseUrl, withDataOptions } from './data-options.js';

/** `tokenward rekey`: rotates the master key, resumable (docs/operations.md). */
export function rekeyCommand(output: Output) {
  return withDataOptions(
    command(
      'rekey',
      're-seal every secret in the database under a new master key (stop every node first; run again to go on after an interruption)',
    ).option('--batch-size <n>', 'values re-sealed per transaction', '500'),
  ).action(async (options: DataOptions & { batchSize: string }) => {
    const batchSize = parseInteger('--batch-size', options.batchSize, 1, 100_000);
    let reported = '';
    const result = await rekey({
      dataDir: options.data,
      databaseUrl: databaseUrl(options),
      masterKeyFromEnvironment: process.env.TOKENWARD_MASTER_KEY,
      batchSize,
      now: Date.now,
      onBatch: ({ where, moved }) => {
        if (where !== reported) output.out(`Re-sealing ${where}...`);
        reported = where;
        output.out(`  ${moved} values re-sealed so far`);
      },
    });
    output.out(
      `Master key rotated: ${result.moved} values re-sealed${result.already > 0 ? `, ${result.already} found re-sealed by an earlier run` : ''}.`,
    );
    output.out(
      result.keyInEnvironment
        ? `The new key is in ${result.keyPath}. Set TOKENWARD_MASTER_KEY to it on every node, then delete that file.`
        : `The new key is in ${result.keyPath} (the old key is gone). Copy it, mode 0600, to every other node's data directory before starting them.`,
    );
  });
}
