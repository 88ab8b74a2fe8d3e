import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { describe, it } from 'node:test';
import { promisify } from 'node:util';
import type { OtpAlgorithm, OtpDigits, OtpPeriod } from '../../src/core/otp-parameters.js';
import { SEED_LENGTH } from '../../src/core/otp-parameters.js';
import { generateTotp } from '../../src/core/totp.js';
import { requireComponent } from '../helpers/components.js';

const run = promisify(execFile);
const oathtool = await requireComponent('oathtool', 'apt-get install oathtool');

const ALGORITHMS: OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const PAIRS = 1000;

describe('TOTP agrees with oathtool (oath-toolkit)', { skip: oathtool.skip }, () => {
  it(`on ${PAIRS} random seeds and times over SHA1/256/512, 6/8 digits, 30/60 s`, async () => {
    const cases = Array.from({ length: PAIRS }, (_, index) => {
      const algorithm = ALGORITHMS[index % 3] as OtpAlgorithm;
      const digits: OtpDigits = index % 2 === 0 ? 6 : 8;
      const period: OtpPeriod = Math.floor(index / 6) % 2 === 0 ? 30 : 60;
      const seed = randomBytes(SEED_LENGTH[algorithm]);
      const time = randomInt(0, 2 ** 32);
      return { algorithm, digits, period, seed, time };
    });
    const mismatches: string[] = [];
    const concurrency = 8;
    for (let start = 0; start < cases.length; start += concurrency) {
      await Promise.all(
        cases.slice(start, start + concurrency).map(async (c) => {
          const { stdout } = await run('oathtool', [
            `--totp=${c.algorithm}`,
            `--digits=${c.digits}`,
            `--time-step-size=${c.period}s`,
            `--now=@${c.time}`,
            c.seed.toString('hex'),
          ]);
          const ours = generateTotp({ ...c, now: c.time * 1000 });
          if (stdout.trim() !== ours)
            mismatches.push(`${c.algorithm}/${c.digits}/${c.period} @${c.time}`);
        }),
      );
    }
    assert.deepEqual(mismatches, []);
  });
});
