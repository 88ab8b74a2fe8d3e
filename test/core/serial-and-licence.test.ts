import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  mintLicenceName,
  mintRedemptionCode,
  parseLicenceCode,
  TRIAL_IMPORT_CODE,
} from '../../src/core/licence.js';
import { mintSerial, parseSerial } from '../../src/core/serial.js';
import { assertThrowsCode, returnsOrThrowsCode } from '../helpers/assert-code.js';

describe('serials', () => {
  it('are minted as TWMOB + 11 upper-case hex digits', () => {
    assert.match(mintSerial(), /^TWMOB[0-9A-F]{11}$/);
    assert.equal(
      mintSerial(() => Buffer.from('0123456789ab', 'hex')),
      'TWMOB0123456789A',
    );
  });

  it('of other vendors are accepted on import, trimmed and upper-cased', () => {
    assert.equal(parseSerial('FTKMOB83712DC7FE'), 'FTKMOB83712DC7FE');
    assert.equal(parseSerial(' fgt3hd3915801656\n'), 'FGT3HD3915801656');
  });

  it('of the wrong shape are refused', () => {
    for (const bad of ['', 'FTKMOB83712DC7F', 'FTKMOB83712DC7FE0', 'FTKMOB83712DC7F!']) {
      assertThrowsCode(() => parseSerial(bad), 'TW_SERIAL_INVALID');
    }
    fc.assert(
      fc.property(fc.string(), (s) =>
        returnsOrThrowsCode(() => parseSerial(s), 'TW_SERIAL_INVALID'),
      ),
    );
  });
});

describe('licences', () => {
  it('recognise the trial import code however it is typed', () => {
    assert.deepEqual(parseLicenceCode(TRIAL_IMPORT_CODE), { kind: 'trial' });
    assert.deepEqual(parseLicenceCode('00000000000000000000'), { kind: 'trial' });
  });

  it('mint 20-hex-digit redemption codes that parse back to themselves', () => {
    const code = mintRedemptionCode();
    assert.match(code, /^([0-9A-F]{4}-){4}[0-9A-F]{4}$/);
    assert.deepEqual(parseLicenceCode(code.toLowerCase().replaceAll('-', ' ')), {
      kind: 'pack',
      code,
    });
  });

  it('never mint the trial code as a pack', () => {
    let calls = 0;
    const code = mintRedemptionCode((size) => new Uint8Array(size).fill(calls++ === 0 ? 0 : 1));
    assert.equal(code, '0101-0101-0101-0101-0101');
  });

  it('refuse codes of the wrong shape', () => {
    assertThrowsCode(() => parseLicenceCode('0000-0000-0000-0000'), 'TW_LICENCE_CODE_INVALID');
    assertThrowsCode(() => parseLicenceCode('GGGG-0000-0000-0000-0000'), 'TW_LICENCE_CODE_INVALID');
  });

  it('name licences like FortiOS: 16 characters', () => {
    assert.match(mintLicenceName('trial'), /^TWTRIAL\d{9}$/);
    assert.match(mintLicenceName('pack'), /^TWPACK\d{10}$/);
  });
});
