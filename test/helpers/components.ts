import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * Looks for an external program a test needs. Locally a missing one skips the test with how to
 * install it; under CI=true it fails, since .ci/run must have installed it.
 */
export async function requireComponent(
  command: string,
  install: string,
): Promise<{ skip: string | false }> {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
    return { skip: false };
  } catch {
    const reason = `${command} is not installed (${install})`;
    if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
    return { skip: reason };
  }
}
