import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mintActivationCode } from '../../src/core/activation-code.js';
import { buildActivationUri, parseActivationUri } from '../../src/core/activation-uri.js';
import { assertThrowsCode } from '../helpers/assert-code.js';

const CODE = mintActivationCode('activation', 30).code;

describe('activation links', () => {
  it('puts the code in the fragment of the app link, which browsers never send', () => {
    const uri = buildActivationUri(CODE, 'https://tokens.example.com/');
    assert.equal(uri, `https://tokens.example.com/app/#activate=${CODE}`);
    assert.equal(new URL(uri).search, '');
    const parsed = parseActivationUri(uri);
    assert.deepEqual([parsed.code.code, parsed.server], [CODE, 'https://tokens.example.com']);
  });

  it('finds the provisioner under a path prefix, and reads the older tokenward:// link', () => {
    const behindProxy = parseActivationUri(
      `https://example.com/mfa/app/#activate=${CODE.toLowerCase()}`,
    );
    assert.equal(behindProxy.server, 'https://example.com/mfa');
    const older = parseActivationUri(
      `tokenward://activate?code=${CODE}&server=${encodeURIComponent('http://127.0.0.1:8440')}`,
    );
    assert.deepEqual([older.code.code, older.server], [CODE, 'http://127.0.0.1:8440']);
  });

  it('refuses a link without the app path or the code', () => {
    assertThrowsCode(
      () => parseActivationUri('https://example.com/#activate=X'),
      'TW_ACTIVATION_URI_INVALID',
    );
    assertThrowsCode(
      () => parseActivationUri('https://example.com/app/'),
      'TW_ACTIVATION_URI_INVALID',
    );
    assertThrowsCode(
      () => parseActivationUri('https://example.com/app/#activate=SHORT'),
      'TW_ACTIVATION_CODE_MALFORMED',
    );
  });
});
