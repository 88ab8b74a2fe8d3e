import { backup } from '../maintenance/backup.js';
import { restore } from '../maintenance/restore.js';
import { command, type Output } from './command.js';
import { type DataOptions, databaseUrl, withDataOptions } from './data-options.js';
import { secretFromStdin } from './stdin-secret.js';

/** `tokenward backup`: an encrypted online snapshot of the SQLite database (docs/operations.md). */
export function backupCommand(output: Output) {
  return withDataOptions(
    command(
      'backup',
      'write an encrypted, consistent snapshot of the database while it runs (SQLite; PostgreSQL: pg_dump)',
    )
      .requiredOption('--out <file>', 'the backup file to write (never overwritten)')
      .option(
        '--with-master-key',
        'carry the master key inside, sealed under a passphrase (give --passphrase-stdin)',
      )
      .option(
        '--passphrase-stdin',
        'read the passphrase for --with-master-key from standard input',
      ),
  ).action(
    async (
      options: DataOptions & { out: string; withMasterKey?: boolean; passphraseStdin?: boolean },
    ) => {
      const passphrase =
        options.withMasterKey === true
          ? await secretFromStdin(options.passphraseStdin, '--passphrase-stdin')
          : undefined;
      const made = await backup({
        dataDir: options.data,
        databaseUrl: databaseUrl(options),
        masterKeyFromEnvironment: process.env.TOKENWARD_MASTER_KEY,
        out: options.out,
        passphrase,
        now: Date.now,
      });
      output.out(
        `Backup written: ${options.out} (${made.bytes} bytes, encrypted). ${
          passphrase === undefined
            ? 'It opens only with this master key: keep a copy of master.key apart from the backup.'
            : 'It carries the master key, sealed under the passphrase: keep the passphrase apart from the backup.'
        }`,
      );
    },
  );
}

/** `tokenward restore`: a backup into a data directory without a database. */
export function restoreCommand(output: Output) {
  return withDataOptions(
    command('restore', 'restore a backup into a data directory that has no database yet')
      .requiredOption('--from <file>', 'the backup file')
      .option(
        '--passphrase-stdin',
        'read the passphrase of a backup made --with-master-key from standard input',
      ),
  ).action(async (options: DataOptions & { from: string; passphraseStdin?: boolean }) => {
    const restored = await restore({
      dataDir: options.data,
      databaseUrl: databaseUrl(options),
      masterKeyFromEnvironment: process.env.TOKENWARD_MASTER_KEY,
      from: options.from,
      passphrase:
        options.passphraseStdin === true
          ? await secretFromStdin(true, '--passphrase-stdin')
          : undefined,
      now: Date.now,
    });
    const sealed = [...restored.sealed.values()].reduce((sum, count) => sum + count, 0);
    output.out(
      `Restored the backup of ${restored.createdAt} into ${options.data}: ${sealed} sealed values checked, each opens with the master key. Start the services with the same --data.`,
    );
  });
}
