import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { open, seal } from '../../src/crypto/seal.js';
import { generateSealingKeyPair } from '../../src/crypto/x25519.js';
import { assertThrowsCode } from '../helpers/assert-code.js';

const seed = Buffer.from('12345678901234567890');
const aad = 'TWMOB0123456789A:gateway:FGT3HD3915801656';

describe('X25519 ECIES sealing', () => {
  it('opens with the recipient key and the same AAD', () => {
    const recipient = generateSealingKeyPair();
    const sealed = seal(recipient.publicKey, seed, aad);
    assert.deepEqual(Buffer.from(open(recipient.privateKey, sealed, aad)), seed);
  });

  it('never shows the plaintext, and seals the same seed differently each time', () => {
    const recipient = generateSealingKeyPair();
    const first = Buffer.from(seal(recipient.publicKey, seed, aad));
    const second = Buffer.from(seal(recipient.publicKey, seed, aad));
    assert.equal(first.includes(seed), false);
    assert.notDeepEqual(first, second);
  });

  it('refuses another recipient key', () => {
    const sealed = seal(generateSealingKeyPair().publicKey, seed, aad);
    assertThrowsCode(
      () => open(generateSealingKeyPair().privateKey, sealed, aad),
      'TW_SEALED_DATA_INVALID',
    );
  });

  it('refuses any flipped bit', () => {
    const recipient = generateSealingKeyPair();
    const sealed = Buffer.from(seal(recipient.publicKey, seed, aad));
    for (let bit = 0; bit < sealed.length * 8; bit += 7) {
      const tampered = Buffer.from(sealed);
      tampered[bit >> 3] = (tampered[bit >> 3] ?? 0) ^ (1 << (bit & 7));
      assertThrowsCode(() => open(recipient.privateKey, tampered, aad), 'TW_SEALED_DATA_INVALID');
    }
  });

  it('refuses another AAD (a seed moved to another token or recipient)', () => {
    const recipient = generateSealingKeyPair();
    const sealed = seal(recipient.publicKey, seed, aad);
    assertThrowsCode(() => open(recipient.privateKey, sealed, `${aad}x`), 'TW_SEALED_DATA_INVALID');
  });

  it('refuses truncated data', () => {
    const recipient = generateSealingKeyPair();
    assertThrowsCode(
      () => open(recipient.privateKey, new Uint8Array(20), aad),
      'TW_SEALED_DATA_INVALID',
    );
  });
});
