import { randomBytes } from 'node:crypto';

/**
 * Ids that sort in the order entries were written: the entry time, then this process's
 * monotonic clock (entries of one millisecond keep their order), then random bytes (unique
 * across nodes).
 */
export function sortableId(at: number): string {
  const time = String(at).padStart(15, '0');
  const tick = process.hrtime.bigint().toString().padStart(20, '0');
  return `${time}-${tick}-${randomBytes(4).toString('hex')}`;
}
