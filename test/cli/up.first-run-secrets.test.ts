import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startAllInOne } from '../../src/all-in-one/all-in-one.js';
import { isTokenwardError } from '../../src/core/errors.js';
import { createLogger } from '../../src/log/create-logger.js';

// Threat (to the operator's access): a first start that failed on a taken port had already made
// and stored the admin password and RADIUS secret, and never showed them: lost for good.
describe('tokenward up: the first-run secrets survive a failed first start', () => {
  let root: string;
  const taken = createSocket('udp4');
  let takenPort = 0;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'tokenward-first-run-'));
    await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
    takenPort = taken.address().port;
  });
  after(async () => {
    taken.close();
    await rm(root, { recursive: true, force: true });
  });

  const start = (radiusPort: number) =>
    startAllInOne({
      dataDir: join(root, 'data'),
      databaseUrl: `sqlite:${join(root, 'data', 'tokenward.db')}`,
      provisioner: { host: '127.0.0.1', port: 0 },
      http: { host: '127.0.0.1', port: 0 },
      radius: { host: '127.0.0.1', port: radiusPort },
      log: createLogger({ level: 'silent' }),
    });

  it('shows the admin password and RADIUS secret at the first start that succeeds', async () => {
    await assert.rejects(start(takenPort), (error: unknown) =>
      isTokenwardError(error, 'TW_LISTEN_FAILED'),
    );
    const running = await start(0);
    try {
      assert.match(running.firstRun?.adminPassword ?? '', /^[A-Za-z0-9][\w-]{15}$/);
      assert.match(running.firstRun?.radiusSecret ?? '', /^[A-Za-z0-9][\w-]{23}$/);
    } finally {
      await running.close();
    }
  });
});
