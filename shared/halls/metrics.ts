import type { HallMetrics, HallObservation, HallReading, HallsSummary, RatingCounts } from '../schemas/halls'
import { RATING_LEVELS } from '../schemas/halls'

/** Queue alert thresholds (domain.md §4.3): no national figure exists, so they are configurable. */
export interface HallThresholds {
  warnWaitingPerWindow: number
  criticalWaitingPerWindow: number
  warnAvgWaitMin: number
  criticalAvgWaitMin: number
  warnMaxWaitMin: number
}

/** domain.md §4.3's suggested defaults; 10 per window is Longshan's 跨窗通办 trigger. */
export const DEFAULT_HALL_THRESHOLDS: Readonly<HallThresholds> = {
  warnWaitingPerWindow: 10,
  criticalWaitingPerWindow: 20,
  warnAvgWaitMin: 20,
  criticalAvgWaitMin: 40,
  warnMaxWaitMin: 45,
}

const totalRatings = (r: RatingCounts): number =>
  r.verySatisfied + r.satisfied + r.basic + r.dissatisfied + r.veryDissatisfied

/** 差评: the last two of the five 好差评 levels (国办发〔2019〕51号). */
const badRatings = (r: RatingCounts): number => r.dissatisfied + r.veryDissatisfied

/** 好评率: the share of ratings that are not 差评; null before the first rating. */
export function goodRate(r: RatingCounts): number | null {
  const total = totalRatings(r)
  return total > 0 ? (total - badRatings(r)) / total : null
}

/**
 * warn / critical per the thresholds, or null. A hall with no open window has
 * no pressure: people queueing before opening (or the day's waits after
 * closing) are not a service problem, and the counters cannot tell a closed
 * hall from an unstaffed one. Per-window rules are checked as waiting ≥ k ×
 * windows, so integer counts meet the threshold exactly, without division.
 */
function pressure(o: HallObservation, t: HallThresholds): HallMetrics['pressure'] {
  if (o.windowsOpen === 0)
    return null
  if (o.waiting >= t.criticalWaitingPerWindow * o.windowsOpen || o.avgWaitMin >= t.criticalAvgWaitMin)
    return 'critical'
  if (o.waiting >= t.warnWaitingPerWindow * o.windowsOpen || o.avgWaitMin >= t.warnAvgWaitMin
    || o.maxWaitMin >= t.warnMaxWaitMin)
    return 'warn'
  return null
}

/** Queue metrics of one hall observation. */
export function hallMetrics(o: HallObservation, t: HallThresholds = DEFAULT_HALL_THRESHOLDS): HallMetrics {
  const open = o.windowsOpen
  return {
    waitingPerWindow: open > 0 ? o.waiting / open : null,
    utilization: open > 0 ? Math.min(1, o.windowsBusy / open) : null,
    ratingsTotal: totalRatings(o.ratingsToday),
    goodRate: goodRate(o.ratingsToday),
    badRatings: badRatings(o.ratingsToday),
    pressure: pressure(o, t),
  }
}

/**
 * All halls together; null when none reports. The average wait is weighted by
 * tickets served today, since each hall's figure is a mean over those tickets;
 * before anyone is served it falls back to the plain mean of the halls.
 */
export function hallsSummary(readings: readonly HallReading[], hallsTotal: number): HallsSummary | null {
  const first = readings[0]
  if (!first)
    return null
  const ratings: RatingCounts = { verySatisfied: 0, satisfied: 0, basic: 0, dissatisfied: 0, veryDissatisfied: 0 }
  let observedAt = first.observedAt
  let newestMs = Date.parse(observedAt)
  let waiting = 0, windowsOpen = 0, windowsBusy = 0, ticketsToday = 0, servedToday = 0, hallsOpen = 0
  let waitServedMin = 0, waitSumMin = 0, maxWaitMin = 0
  for (const r of readings) {
    const ms = Date.parse(r.observedAt)
    if (ms > newestMs) {
      newestMs = ms
      observedAt = r.observedAt
    }
    waiting += r.waiting
    windowsOpen += r.windowsOpen
    windowsBusy += r.windowsBusy
    ticketsToday += r.ticketsToday
    servedToday += r.servedToday
    if (r.windowsOpen > 0)
      hallsOpen++
    waitServedMin += r.avgWaitMin * r.servedToday
    waitSumMin += r.avgWaitMin
    maxWaitMin = Math.max(maxWaitMin, r.maxWaitMin)
    for (const level of RATING_LEVELS)
      ratings[level] += r.ratingsToday[level]
  }
  return {
    observedAt,
    waiting,
    windowsOpen,
    windowsBusy,
    waitingPerWindow: windowsOpen > 0 ? waiting / windowsOpen : null,
    avgWaitMin: servedToday > 0 ? waitServedMin / servedToday : waitSumMin / readings.length,
    maxWaitMin,
    ticketsToday,
    servedToday,
    ratingsToday: ratings,
    goodRate: goodRate(ratings),
    hallsOpen,
    hallsReporting: readings.length,
    hallsTotal,
  }
}
