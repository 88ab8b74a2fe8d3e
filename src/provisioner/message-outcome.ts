import { TokenwardError } from '../core/errors.js';
import type { MessageError, MessageResult } from '../protocol/softtoken/messages.js';

/**
 * What a use case answers: the message's own fields (typed per message: `ResponseFields` of its
 * response in responses.ts), then `result` and `error`.
 */
export interface MessageOutcome<F extends object = object> {
  readonly fields: F;
  readonly result: MessageResult;
  readonly error: MessageError | null;
}

/** The wire form of an error: a TokenwardError's public face, anything else TW_INTERNAL. */
export function toMessageError(error: unknown): MessageError {
  const coded = error instanceof TokenwardError ? error : new TokenwardError('TW_INTERNAL');
  return coded.toPublic();
}

/**
 * An outcome for a list of per-entry results: 2 when every entry succeeded, 1 when some did,
 * 0 when none did (then `error` repeats the first entry's error).
 */
export function entriesOutcome<K extends string, E extends { error: MessageError | null }>(
  key: K,
  entries: readonly E[],
): MessageOutcome<{ readonly [P in K]: readonly E[] }> {
  const failed = entries.filter((entry) => entry.error !== null);
  const fields = { [key]: entries } as { readonly [P in K]: readonly E[] };
  if (failed.length === 0) return { fields, result: 2, error: null };
  if (failed.length < entries.length) return { fields, result: 1, error: null };
  return { fields, result: 0, error: failed[0]?.error ?? null };
}
