/**
 * At most one log line per source and reason every 10 s, so a flood of garbage does not become
 * a flood of log lines; the next line says how many were not logged.
 */
export function createDropLogLimiter(intervalMs = 10_000) {
  const seen = new Map<string, { until: number; suppressed: number }>();
  return {
    /** The count suppressed since the last line, or undefined to stay quiet now. */
    note(key: string, now: number): number | undefined {
      const entry = seen.get(key);
      if (entry !== undefined && now < entry.until) {
        entry.suppressed++;
        return undefined;
      }
      if (seen.size > 10_000) seen.clear();
      seen.set(key, { until: now + intervalMs, suppressed: 0 });
      return entry?.suppressed ?? 0;
    },
  };
}
