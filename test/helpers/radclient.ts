import { execFile } from 'node:child_process';
import { requireComponent } from './components.js';

export const radclientComponent = await requireComponent(
  'radclient',
  'apt-get install freeradius-utils',
);

export interface RadclientReply {
  /** The reply's packet type, or undefined when none came (radclient timed out). */
  readonly type?: 'Access-Accept' | 'Access-Reject' | 'Access-Challenge';
  readonly attributes: ReadonlyMap<string, string>;
  readonly output: string;
}

/**
 * Sends one Access-Request with the real `radclient` (FreeRADIUS) and parses its verbose output.
 * `attributes` are radclient's `Name = value` pairs, e.g. `User-Password = "pw"`.
 */
export function radclient(
  port: number,
  secret: string,
  attributes: readonly string[],
  options: { timeoutSeconds?: number; retries?: number } = {},
): Promise<RadclientReply> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'radclient',
      [
        '-x',
        '-r',
        String(options.retries ?? 1),
        '-t',
        String(options.timeoutSeconds ?? 3),
        // The end of the options: a secret starting with "-" is not one.
        '--',
        `127.0.0.1:${port}`,
        'auth',
        secret,
      ],
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        const type = /^Received (Access-\w+) Id/m.exec(output)?.[1] as RadclientReply['type'];
        if (type === undefined && !/No reply from server/.test(output) && error !== null) {
          reject(new Error(`radclient failed: ${output}`));
          return;
        }
        const received = output.slice(output.search(/^Received /m));
        const parsed = new Map<string, string>();
        if (type !== undefined) {
          for (const match of received.matchAll(/^\t([\w-]+) = (.*)$/gm)) {
            const [, name = '', value = ''] = match;
            const previous = parsed.get(name);
            parsed.set(name, previous === undefined ? value : `${previous}${value}`);
          }
        }
        resolve({ ...(type === undefined ? {} : { type }), attributes: parsed, output });
      },
    );
    child.stdin?.end(`${attributes.join(', ')}\n`);
  });
}

/** A radclient string attribute's text ("..." in its output). */
export const unquoted = (value: string | undefined) => value?.replace(/^"|"$/g, '');
