/**
 * What a record's time says against what was seen before for the same key:
 * `latest` is newer than anything seen; `late` is older but new to us;
 * `duplicate` was seen; `too-late` is older than the window we remember, so
 * it can be neither applied nor told apart from a duplicate.
 */
export type Arrival = 'latest' | 'late' | 'duplicate' | 'too-late'

/**
 * Remembers, per key (source, kind, entity), the observation times seen
 * within a lateness window behind the newest one. Memory per key is bounded
 * by the window divided by the feed's interval.
 */
export class DedupIndex {
  private readonly seen = new Map<string, number[]>()

  constructor(private readonly windowMs: number) {}

  check(key: string, time: number): Arrival {
    const times = this.seen.get(key)
    if (!times) {
      this.seen.set(key, [time])
      return 'latest'
    }
    const newest = times[times.length - 1] as number
    if (time > newest) {
      times.push(time)
      this.forgetBefore(times, time - this.windowMs)
      return 'latest'
    }
    if (time < newest - this.windowMs)
      return 'too-late'
    const at = lowerBound(times, time)
    if (times[at] === time)
      return 'duplicate'
    times.splice(at, 0, time)
    return 'late'
  }

  get keys(): number {
    return this.seen.size
  }

  private forgetBefore(times: number[], horizon: number): void {
    if ((times[0] as number) >= horizon)
      return
    times.splice(0, lowerBound(times, horizon))
  }
}

/** The first index whose value is ≥ target, in an ascending array. */
function lowerBound(values: readonly number[], target: number): number {
  let lo = 0
  let hi = values.length
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((values[mid] as number) < target)
      lo = mid + 1
    else
      hi = mid
  }
  return lo
}
