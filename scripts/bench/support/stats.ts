/** Small statistics and printing helpers shared by the benchmarks (percentiles, rates, progress lines). */
import { performance } from 'node:perf_hooks';

/** The p-th percentile (nearest rank) of `xs`; NaN when empty. */
export function percentile(xs: ArrayLike<number>, p: number): number {
  if (xs.length === 0) return Number.NaN;
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
}

export interface Summary {
  n: number;
  /** Completed operations per second over the wall time of the phase. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarize(latenciesMs: ArrayLike<number>, wallMs: number): Summary {
  let max = 0;
  for (let i = 0; i < latenciesMs.length; i++) max = Math.max(max, latenciesMs[i]!);
  return {
    n: latenciesMs.length,
    perSecond: (latenciesMs.length * 1000) / wallMs,
    p50Ms: percentile(latenciesMs, 50),
    p99Ms: percentile(latenciesMs, 99),
    maxMs: max,
  };
}

/** A number with 2-3 significant decimals for small values. */
export function fmt(n: number): string {
  if (!Number.isFinite(n)) return '-';
  return n.toFixed(n < 10 ? 2 : n < 100 ? 1 : 0);
}

/** Prints `label: i/n` every `every` calls (long phases show they are alive). */
export function progress(label: string, n: number, every: number): (i: number) => void {
  const t0 = performance.now();
  return (i) => {
    if (i % every === 0 && i > 0)
      console.log(`   .. ${label}: ${i}/${n} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  };
}

/** A real macrotask yield (lets LDK finalizers and I/O callbacks run). */
export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export const gc: () => void = (globalThis as { gc?: () => void }).gc ?? (() => undefined);
