/** Small helpers for the benchmarks: timing, percentiles and a plain-text table. */
import { performance } from 'node:perf_hooks'

/** Runs `fn` and gives its result with the elapsed milliseconds. */
export function timed<T>(fn: () => T): { result: T, ms: number } {
  const start = performance.now()
  const result = fn()
  return { result, ms: performance.now() - start }
}

/** The p-th percentile (0–100) of the values, by nearest rank; NaN for none. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0)
    return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.ceil((Math.min(Math.max(p, 0), 100) / 100) * sorted.length)
  return sorted[Math.max(rank, 1) - 1] as number
}

/** Waits for the next turn of the event loop, as a server does between two batches. */
export function nextTurn(): Promise<void> {
  return new Promise(resolve => setImmediate(resolve))
}

/** 1234567.8 → "1,234,568"; small values keep `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/** A fixed-width text table; numeric-looking cells are right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map(r => (r[i] ?? '').length)))
  const numeric = /^[-\d.,]+( \S+)?$/
  const line = (cells: readonly string[]): string =>
    cells.map((c, i) => (numeric.test(c) && i > 0 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()
  return [line(headers), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n')
}
