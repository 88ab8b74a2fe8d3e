import { createHmac, randomBytes } from 'node:crypto';
import { generateTotp } from '../src/core/totp.js';
import { verifyTotp } from '../src/core/verify-totp.js';
import { formatRate, opsPerSecond, report } from './measure.js';

/**
 * TOTP verifications per second (code at the current step, window +-1) beside raw HMAC-SHA1
 * computations per second in the same run. The ratio says what verification adds on top of the
 * one HMAC it needs for a current code: 1.00 would be no overhead at all.
 */
export function benchOtp(): void {
  const seed = randomBytes(20);
  const parameters = { algorithm: 'SHA1', digits: 6, period: 60 } as const;
  const now = Date.now();
  const code = generateTotp({ seed, now, ...parameters });
  const message = Buffer.alloc(8);

  const hmac = opsPerSecond(() => {
    createHmac('sha1', seed).update(message).digest();
  });
  const verify = opsPerSecond(() => {
    if (!verifyTotp({ seed, code, now, ...parameters, window: 1 }).ok) throw new Error('rejected');
  });
  report(
    'otp: TOTP verify (current step, window +-1)',
    formatRate(verify),
    `raw HMAC-SHA1 ${formatRate(hmac)}`,
    verify / hmac,
  );
}
