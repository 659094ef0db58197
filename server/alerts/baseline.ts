/**
 * Baselines for anomaly rules: per series (metric and entity) and hour of the
 * week on China's clock, the median and the median absolute deviation of
 * history samples. Plain data, so it can be stored and shipped as it is.
 */
export interface BaselineBucket {
  median: number
  mad: number
  n: number
}

/** Series key (`${metric}|${entityId}`) → hour of week (0 = Sunday 00:00–01:00) → bucket. */
export type BaselineSet = Record<string, Record<number, BaselineBucket>>

export interface BaselineSample {
  key: string
  /** Epoch ms. */
  t: number
  value: number
}

const HOUR_MS = 3_600_000
/** China has kept UTC+8 all year since 1991. */
const CHINA_OFFSET_MS = 8 * HOUR_MS
/** 1970-01-01 was a Thursday. */
const EPOCH_WEEKDAY = 4
/** Scales the MAD to the standard deviation of a normal distribution. */
export const MAD_TO_SIGMA = 1.4826

export function seriesKey(metric: string, entityId: string): string {
  return `${metric}|${entityId}`
}

export function hourOfWeek(t: number): number {
  const localHours = Math.floor((t + CHINA_OFFSET_MS) / HOUR_MS)
  const day = (Math.floor(localHours / 24) + EPOCH_WEEKDAY) % 7
  return day * 24 + (localHours % 24)
}

function median(sorted: readonly number[]): number {
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

export function learnBaseline(samples: Iterable<BaselineSample>): BaselineSet {
  const grouped = new Map<string, Map<number, number[]>>()
  for (const s of samples) {
    if (!Number.isFinite(s.value))
      continue
    let byHour = grouped.get(s.key)
    if (!byHour)
      grouped.set(s.key, byHour = new Map<number, number[]>())
    const hour = hourOfWeek(s.t)
    const values = byHour.get(hour)
    if (values)
      values.push(s.value)
    else
      byHour.set(hour, [s.value])
  }
  const set: BaselineSet = {}
  for (const [key, byHour] of grouped) {
    const buckets: Record<number, BaselineBucket> = {}
    for (const [hour, values] of byHour) {
      values.sort((a, b) => a - b)
      const m = median(values)
      const deviations = values.map(v => Math.abs(v - m)).sort((a, b) => a - b)
      buckets[hour] = { median: m, mad: median(deviations), n: values.length }
    }
    set[key] = buckets
  }
  return set
}

/** (x − median) / (1.4826 · MAD), the spread floored at `minSpread`. */
export function robustZ(bucket: BaselineBucket, x: number, minSpread: number): number {
  return (x - bucket.median) / Math.max(MAD_TO_SIGMA * bucket.mad, minSpread)
}
