import { join } from 'node:path';
import { startAllInOne } from '../../src/all-in-one/all-in-one.js';
import type { Notifier } from '../../src/gateway/notifier.js';
import { createLogger } from '../../src/log/create-logger.js';

/**
 * `tokenward up` in this process: data under `root` (SQLite there unless `databaseUrl` names
 * another), every port picked free on 127.0.0.1.
 */
export function startTestAllInOne(root: string, notifier?: Notifier, databaseUrl?: string) {
  const local = { host: '127.0.0.1', port: 0 };
  return startAllInOne({
    dataDir: join(root, 'data'),
    databaseUrl: databaseUrl ?? `sqlite:${join(root, 'data', 'tokenward.db')}`,
    provisioner: local,
    http: local,
    radius: local,
    log: createLogger({ level: 'silent' }),
    ...(notifier === undefined ? {} : { notifier }),
  });
}
