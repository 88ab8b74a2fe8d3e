/** Runs `operation` repeatedly for about `seconds` after a warm-up; returns operations per second. */
export function opsPerSecond(operation: () => void, seconds = 2): number {
  const warmUpEnd = performance.now() + 200;
  while (performance.now() < warmUpEnd) operation();
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 100; i++) operation();
    count += 100;
    now = performance.now();
  }
  return count / ((now - start) / 1000);
}

/** Async variant: `operation` is awaited; for I/O-bound work such as HTTP round trips. */
export async function asyncOpsPerSecond(
  operation: () => Promise<void>,
  seconds = 2,
): Promise<number> {
  for (let i = 0; i < 20; i++) await operation();
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) {
    await operation();
    count++;
  }
  return count / ((performance.now() - start) / 1000);
}

export function formatRate(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')}/s`;
}

/** One line per benchmark: its figure beside the baseline measured in the same run, and the ratio. */
export function report(name: string, figure: string, baseline: string, ratio: number): void {
  // Two significant digits for small ratios (0.0086), two decimals otherwise (0.62).
  const shown = ratio < 0.1 ? ratio.toPrecision(2) : ratio.toFixed(2);
  console.log(`${name}: ${figure} | baseline ${baseline} | ratio ${shown}`);
}

/** Logins answered, per second over `seconds`, and the median and 99th percentile latency (ms). */
export function latencySummary(
  latencies: number[],
  seconds: number,
): { logins: number; perSecond: number; p50: number; p99: number } {
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    logins: latencies.length,
    perSecond: latencies.length / seconds,
    p50: at(0.5),
    p99: at(0.99),
  };
}
