import { randomUUID } from 'node:crypto';

/**
 * Ids that sort in the order entries were written: the entry time, then this process's
 * monotonic clock (entries of one millisecond keep their order), then 32 random bits (unique
 * across nodes; from randomUUID, which draws from a buffered pool instead of asking OpenSSL
 * per id).
 */
export function sortableId(at: number): string {
  const time = String(at).padStart(15, '0');
  const tick = process.hrtime.bigint().toString().padStart(20, '0');
  return `${time}-${tick}-${randomUUID().slice(0, 8)}`;
}
