import { DemoStepFailed, runDemo } from '../demo/demo.js';
import { command, type Output, ReportedError } from './command.js';
import { VERSION } from './version.js';

/** `tokenward demo`: the story of the source document and its fix, with real components. */
export function demoCommand(output: Output) {
  return command(
    'demo',
    'tell the source document story step by step with real components, in a temporary directory',
  ).action(async () => {
    try {
      await runDemo(output.out, VERSION);
    } catch (error) {
      if (!(error instanceof DemoStepFailed)) throw error;
      output.err(error.message);
      throw new ReportedError(error.message);
    }
  });
}
