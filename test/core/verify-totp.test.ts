import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateHotp } from '../../src/core/hotp.js';
import { DEFAULT_OTP_PARAMETERS } from '../../src/core/otp-parameters.js';
import { totpStep } from '../../src/core/totp.js';
import { verifyTotp } from '../../src/core/verify-totp.js';

const seed = Buffer.from('12345678901234567890');
const parameters = DEFAULT_OTP_PARAMETERS; // SHA1, 6 digits, 60 s
const now = 1_700_000_010_000; // 30 s into its 60 s step
const current = totpStep(now, 60);
const codeAt = (step: number) => generateHotp({ seed, counter: step, ...parameters });
const verify = (code: string, extra: Partial<Parameters<typeof verifyTotp>[0]> = {}) =>
  verifyTotp({ seed, code, now, ...parameters, ...extra });

describe('verifyTotp', () => {
  it('accepts the current code and reports its step and zero drift', () => {
    assert.deepEqual(verify(codeAt(current)), { ok: true, step: current, drift: 0 });
  });

  it('accepts one step either side by default, reporting the offset as drift', () => {
    assert.deepEqual(verify(codeAt(current - 1)), { ok: true, step: current - 1, drift: -1 });
    assert.deepEqual(verify(codeAt(current + 1)), { ok: true, step: current + 1, drift: 1 });
    assert.deepEqual(verify(codeAt(current + 2)), { ok: false, reason: 'mismatch' });
  });

  it('centres the window on the learned drift', () => {
    assert.deepEqual(verify(codeAt(current + 5), { drift: 4 }), {
      ok: true,
      step: current + 5,
      drift: 5,
    });
    assert.deepEqual(verify(codeAt(current), { drift: 4 }), { ok: false, reason: 'mismatch' });
  });

  it('refuses a step not later than the last accepted one, saying when to retry', () => {
    // 30 s into step `current`; the next usable step begins in 30 s.
    assert.deepEqual(verify(codeAt(current), { lastStep: current }), {
      ok: false,
      reason: 'replay',
      step: current,
      retryAfterSeconds: 30,
    });
    assert.equal(verify(codeAt(current - 1), { lastStep: current }).ok, false);
    assert.equal(verify(codeAt(current), { lastStep: current - 1 }).ok, true);
  });

  it('finds a drifted code inside the sync window without accepting it', () => {
    assert.deepEqual(verify(codeAt(current + 7), { syncWindow: 10 }), {
      ok: false,
      reason: 'resync',
      step: current + 7,
      drift: 7,
    });
    assert.deepEqual(verify(codeAt(current - 11), { syncWindow: 10 }), {
      ok: false,
      reason: 'mismatch',
    });
  });

  it('calls codes of the wrong length or with non-digits malformed', () => {
    for (const code of ['', '12345', '1234567', '12345a', ' 123456']) {
      assert.deepEqual(verify(code), { ok: false, reason: 'malformed' });
    }
  });

  it('checks 8-digit SHA512 codes at 30 s', () => {
    const seed64 = Buffer.alloc(64, 7);
    const params = { algorithm: 'SHA512', digits: 8, period: 30 } as const;
    const step = totpStep(now, 30);
    const code = generateHotp({ seed: seed64, counter: step, ...params });
    assert.deepEqual(verifyTotp({ seed: seed64, code, now, ...params }), {
      ok: true,
      step,
      drift: 0,
    });
  });
});
