import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { generateHotp } from '../../src/core/hotp.js';
import type { OtpAlgorithm } from '../../src/core/otp-parameters.js';
import { generateTotp, totpStep } from '../../src/core/totp.js';

const load = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../vectors/${name}`, import.meta.url), 'utf8')) as T;

const rfc4226 = load<{ secretAscii: string; vectors: { counter: number; hotp: string }[] }>(
  'rfc4226-appendix-d.json',
);
const rfc6238 = load<{
  seedsAscii: Record<OtpAlgorithm, string>;
  vectors: { time: number; step: string; algorithm: OtpAlgorithm; totp: string }[];
}>('rfc6238-appendix-b.json');

describe('HOTP: RFC 4226 Appendix D', () => {
  const seed = Buffer.from(rfc4226.secretAscii);
  for (const { counter, hotp } of rfc4226.vectors) {
    it(`counter ${counter} gives ${hotp}`, () => {
      assert.equal(generateHotp({ seed, counter, algorithm: 'SHA1', digits: 6 }), hotp);
    });
  }
});

describe('TOTP: RFC 6238 Appendix B', () => {
  for (const { time, step, algorithm, totp } of rfc6238.vectors) {
    it(`${algorithm} at ${time} s (step ${step}) gives ${totp}`, () => {
      const seed = Buffer.from(rfc6238.seedsAscii[algorithm]);
      const now = time * 1000;
      assert.equal(totpStep(now, 30), Number.parseInt(step, 16));
      assert.equal(generateTotp({ seed, now, algorithm, digits: 8, period: 30 }), totp);
    });
  }
});
