/**
 * Answers to recent Access-Requests, for retransmissions (RFC 5080 section 2.2.2): a request
 * with the same source, identifier and Request Authenticator within `ttlMs` gets the same bytes,
 * and one still being decided gets nothing more (its answer goes out when ready). So a
 * retransmission never sends a second push nor uses a code twice.
 */
export function createResponseCache(ttlMs = 10_000, pendingMs = 300_000) {
  const entries = new Map<string, { at: number; response?: Buffer }>();

  const sweep = (now: number) => {
    for (const [key, entry] of entries) {
      // Insertion order is age order. A pending entry is kept while its decision may still
      // come (a push waits minutes at most); one older than that was lost and goes too.
      if (now - entry.at < ttlMs) break;
      if (entry.response !== undefined || now - entry.at >= pendingMs) entries.delete(key);
    }
  };

  return {
    /** `new` (now marked pending), `pending`, or the cached answer. */
    begin(key: string, now: number): 'new' | 'pending' | Buffer {
      sweep(now);
      const entry = entries.get(key);
      if (entry !== undefined) return entry.response ?? 'pending';
      entries.set(key, { at: now });
      return 'new';
    },
    /** The decision failed: no answer is cached, so a retransmission is decided afresh. */
    abandon(key: string) {
      entries.delete(key);
    },
    finish(key: string, response: Buffer, now: number) {
      entries.delete(key);
      entries.set(key, { at: now, response });
    },
    get size() {
      return entries.size;
    },
  };
}
