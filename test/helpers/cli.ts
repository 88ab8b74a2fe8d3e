import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { main } from '../../src/cli/main.js';

/** Runs the CLI in-process, as a person would type `tokenward ...args`; returns what it printed. */
export async function runCli(
  args: readonly string[],
): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(['node', 'tokenward', ...args], {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const BIN = new URL('../../src/cli/bin.ts', import.meta.url).pathname;

/** Starts the CLI as a child process (long-running commands such as `serve`, or interactive ones). */
export function spawnCli(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  stdin: 'ignore' | 'pipe' = 'ignore',
): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: [stdin, 'pipe', 'pipe'],
  });
}

/** Resolves with the child's output once `pattern` appears in it (rejects on exit or timeout). */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  timeoutMs = 20_000,
  stream: 'stdout' | 'stderr' = 'stdout',
): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; got: ${seen}`)),
      timeoutMs,
    );
    child[stream]?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; got: ${seen}`));
    });
  });
}

/** Runs the CLI as a child with `stdin` written to it (for --password-stdin and the like). */
export async function runCliWithStdin(
  args: readonly string[],
  stdin: string,
): Promise<{ code: number; out: string; err: string }> {
  const child = spawnCli(args, {}, 'pipe');
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  child.stdin?.end(stdin);
  const [code] = (await once(child, 'exit')) as [number];
  return { code, out: out.trim(), err: err.trim() };
}
