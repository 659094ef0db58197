/** Summaries the wall benchmark prints: distributions and a least-squares slope. */
import { percentile } from '../lib'

export interface Distribution {
  count: number
  p50: number
  p95: number
  p99: number
  max: number
  mean: number
}

export function distribution(values: readonly number[]): Distribution {
  return {
    count: values.length,
    p50: percentile(values, 50),
    p95: percentile(values, 95),
    p99: percentile(values, 99),
    max: values.length ? Math.max(...values) : Number.NaN,
    mean: values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN,
  }
}

export interface LinearFit {
  /** Change of y per unit of x. */
  slope: number
  intercept: number
  /** Share of y's variance the line explains, 0–1 (NaN when y does not vary). */
  r2: number
  points: number
}

/** Ordinary least squares of y on x; NaN slope for fewer than two distinct x. */
export function linearFit(points: readonly { x: number, y: number }[]): LinearFit {
  const n = points.length
  const mx = points.reduce((s, p) => s + p.x, 0) / n
  const my = points.reduce((s, p) => s + p.y, 0) / n
  let sxx = 0
  let sxy = 0
  let syy = 0
  for (const p of points) {
    sxx += (p.x - mx) ** 2
    sxy += (p.x - mx) * (p.y - my)
    syy += (p.y - my) ** 2
  }
  if (n < 2 || sxx === 0)
    return { slope: Number.NaN, intercept: Number.NaN, r2: Number.NaN, points: n }
  const slope = sxy / sxx
  return { slope, intercept: my - slope * mx, r2: syy === 0 ? Number.NaN : (sxy * sxy) / (sxx * syy), points: n }
}

/** Busy share of the whole machine between two readings of /proc/stat's first line. */
export interface CpuTimes { busy: number, total: number }

export function parseProcStat(text: string): CpuTimes {
  const fields = (text.split('\n')[0] ?? '').trim().split(/\s+/).slice(1).map(Number)
  // user nice system idle iowait irq softirq steal: idle and iowait are the idle part.
  const total = fields.slice(0, 8).reduce((a, b) => a + b, 0)
  const idle = (fields[3] ?? 0) + (fields[4] ?? 0)
  return { busy: total - idle, total }
}

export function busyShare(from: CpuTimes, to: CpuTimes): number {
  const total = to.total - from.total
  return total > 0 ? (to.busy - from.busy) / total : Number.NaN
}

/** /proc's clock ticks per second (USER_HZ); 100 on Linux. */
const USER_HZ = 100

export interface CpuReading {
  at: number
  machine: CpuTimes
  /** Chromium's processes, clock ticks. */
  chromium: number
  /** This process (server, feed, benchmark), µs. */
  self: NodeJS.CpuUsage
}

/** Where the machine's CPU went between two readings, as shares of all its cores together. */
export interface CpuSplit {
  busy: number
  chromium: number
  bench: number
  /** Everything else on the machine (other people's work on a shared box). */
  others: number
}

export function cpuSplit(from: CpuReading, to: CpuReading): CpuSplit {
  const total = to.machine.total - from.machine.total
  if (total <= 0)
    return { busy: Number.NaN, chromium: Number.NaN, bench: Number.NaN, others: Number.NaN }
  const busy = (to.machine.busy - from.machine.busy) / total
  const chromium = (to.chromium - from.chromium) / total
  const selfUs = (to.self.user - from.self.user) + (to.self.system - from.self.system)
  const bench = (selfUs / 1e6) * USER_HZ / total
  return { busy, chromium, bench, others: Math.max(0, busy - chromium - bench) }
}
