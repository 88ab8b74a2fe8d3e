import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

// The shape issue 16 gave the gateway, kept by a test a reviewer can read: interfaces call use
// cases only, SoftToken answers are typed (never cast), and each rule lives in one place.
const root = fileURLToPath(new URL('../../', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(join(root, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(root, path)).isDirectory()
      ? files(path)
      : path.endsWith('.ts')
        ? [path]
        : [];
  });
const source = (path: string) => readFileSync(join(root, path), 'utf8');
const matching = (dirs: readonly string[], pattern: RegExp) =>
  dirs.flatMap(files).filter((path) => pattern.test(source(path)));

describe('house rules', () => {
  it('keeps the CLI and the console off the store: they call the gateway use cases', () => {
    const imports = /from '(?:\.\.\/)+store\//;
    assert.deepEqual(matching(['src/cli', 'src/gateway/console', 'src/gateway/http'], imports), []);
  });

  it('keeps each role to its slice of the store', () => {
    const wholeStore = /\bStore\b(?!Of)/;
    const gatewaySide = matching(['src/gateway'], /import type \{[^}]*\bStore\b[^}]*\} from/);
    const provisionerSide = matching(['src/provisioner'], /import type \{[^}]*\bRepositories\b/);
    assert.deepEqual(
      gatewaySide.filter((path) => wholeStore.test(source(path))),
      [],
    );
    assert.deepEqual(provisionerSide, []);
  });

  it('never casts a SoftToken response: send() returns the type of its message', () => {
    const cast = /\.d(?:\.\w+)?\)?\s+as\s/;
    assert.deepEqual(matching(['src', 'test', 'bench'], cast), []);
  });

  it('spells each secret AAD and each shared limit in one module', () => {
    const once = (pattern: RegExp, home: string) =>
      assert.deepEqual(
        matching(['src'], pattern).map((path) => relative('src', path)),
        [home],
        String(pattern),
      );
    once(/fortitoken-seed:/, 'gateway/token-secrets.ts');
    once(/fortitoken-activation-code:/, 'gateway/token-secrets.ts');
    once(/radius-secret:/, 'gateway/token-secrets.ts');
    once(/\bmaximum: 168|max: 168|1, 168\b/, 'core/limits.ts');
    once(/maxItems: 1000|POLL_BATCH|TOKENS_PER_MESSAGE = 1000/, 'core/limits.ts');
  });

  it('has one RADIUS client add-or-replace and one serve wiring', () => {
    assert.deepEqual(matching(['src'], /radiusClients\.add\(/), ['src/gateway/radius-clients.ts']);
    assert.deepEqual(matching(['src'], /startPollLoop\(\{/), ['src/gateway/service.ts']);
  });
});
