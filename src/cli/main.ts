import { CommanderError } from 'commander';
import { isTokenwardError } from '../core/errors.js';
import { backupCommand, restoreCommand } from './backup-command.js';
import { checkCommand } from './check-command.js';
import { command, type Output, processOutput, ReportedError } from './command.js';
import { demoCommand } from './demo-command.js';
import { gatewayCommand } from './gateway-command.js';
import { migrateCommand } from './migrate-command.js';
import { mobileCommand } from './mobile-command.js';
import { provisionerCommand } from './provisioner-command.js';
import { rekeyCommand } from './rekey-command.js';
import { upCommand } from './up-command.js';

/** Builds the `tokenward` program; one command group per role. */
export function buildProgram(output: Output = processOutput) {
  const program = command('tokenward', 'Tokenward: open soft-token multi-factor authentication')
    .addCommand(upCommand(output))
    .addCommand(demoCommand(output))
    .addCommand(provisionerCommand(output))
    .addCommand(gatewayCommand(output))
    .addCommand(mobileCommand(output))
    .addCommand(backupCommand(output))
    .addCommand(restoreCommand(output))
    .addCommand(checkCommand(output))
    .addCommand(rekeyCommand(output))
    .addCommand(migrateCommand(output))
    .showHelpAfterError();
  // Errors come back to main() instead of ending the process, at every level.
  const configure = (cmd: ReturnType<typeof command>) => {
    cmd.exitOverride().configureOutput({
      writeOut: (s) => output.out(s.trimEnd()),
      writeErr: (s) => output.err(s.trimEnd()),
    });
    for (const sub of cmd.commands) configure(sub as ReturnType<typeof command>);
  };
  configure(program);
  return program;
}

/** Runs the CLI; resolves to the process exit code (0 ok, 1 failed, 2 usage error). */
export async function main(
  argv: readonly string[],
  output: Output = processOutput,
): Promise<number> {
  try {
    await buildProgram(output).parseAsync([...argv]);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof ReportedError) return 1;
    // The operator at the terminal is inside the trust boundary: show the real code, even for
    // errors a remote caller would only see as TW_INTERNAL.
    if (isTokenwardError(error)) {
      output.err(`Error ${error.code}: ${error.message}`);
      return 1;
    }
    output.err(`Error TW_INTERNAL: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}
