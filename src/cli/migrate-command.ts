import { redactUrl } from '../core/redact-url.js';
import { applyMigrations, migrationPlan } from '../maintenance/migrations.js';
import { command, type Output } from './command.js';
import { type DataOptions, databaseUrl, withDataOptions } from './data-options.js';

/** `tokenward migrate`: the schema's pending migrations, shown (--dry-run) or applied. */
export function migrateCommand(output: Output) {
  return withDataOptions(
    command(
      'migrate',
      'bring the database schema up to date (every service does this when it starts); --dry-run only shows what would change',
    ).option('--dry-run', 'show the migrations that would run, change nothing'),
  ).action(async (options: DataOptions & { dryRun?: boolean }) => {
    const url = databaseUrl(options);
    const plan = await migrationPlan(url);
    const at = plan.current ?? 'an empty database';
    if (plan.pending.length === 0) {
      output.out(`The schema is up to date (${at}): ${redactUrl(url)}`);
      return;
    }
    output.out(`${redactUrl(url)}: schema at ${at}, ${plan.pending.length} migrations to apply:`);
    const verb = options.dryRun === true ? 'would apply' : 'applying';
    for (const { name, note } of plan.pending) output.out(`  ${verb} ${name}: ${note}`);
    if (options.dryRun === true) {
      output.out(
        'Nothing was changed. Back up first (docs/operations.md), then run it without --dry-run, or start a service.',
      );
      return;
    }
    await applyMigrations(url);
    output.out(`The schema is up to date (${plan.pending.at(-1)?.name}).`);
  });
}
