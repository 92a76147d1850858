// What the pure benchmarks (bench/planner.ts, bench/source/) share to measure the same thing each
// run and to explain a slow figure. No database or server here: bench/support.ts has those.
import { readFileSync } from "node:fs";

/** mulberry32: a tiny seeded PRNG, so that every run of a benchmark measures the same input. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Linux's CPU pressure: how much of the last 10 s runnable tasks waited for a CPU. */
function cpuPressure(): string | null {
  try {
    return /some avg10=([\d.]+)/.exec(readFileSync("/proc/pressure/cpu", "utf8"))?.[1] ?? null;
  } catch {
    return null;
  }
}

/**
 * Wall time is what a target is about; on a shared machine it also counts time spent waiting for a
 * CPU, so say when that was the case rather than leave a slow figure unexplained.
 */
export function noteCpuPressure(): void {
  const pressure = cpuPressure();
  if (pressure !== null && Number(pressure) > 20)
    console.log(`note: CPU pressure ${pressure}% over the last 10 s: other processes competed for the CPU`);
}
