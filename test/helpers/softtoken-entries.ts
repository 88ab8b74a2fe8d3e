import assert from 'node:assert/strict';

/**
 * The entries of a SoftToken response, each checked to carry no error: what a test expects of a
 * message that succeeded. Narrows the typed entries (responses.ts) to their success shape.
 */
export function okEntries<E extends { readonly error: unknown }>(
  entries: readonly E[] | undefined,
): Extract<E, { readonly error: null }>[] {
  assert.ok(entries !== undefined, 'the response has no entries');
  const ok = entries.filter(
    (entry): entry is Extract<E, { readonly error: null }> => entry.error === null,
  );
  assert.equal(ok.length, entries.length, `an entry failed: ${JSON.stringify(entries)}`);
  return ok;
}
