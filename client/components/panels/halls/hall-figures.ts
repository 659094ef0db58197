import type { ServiceHall, Town } from '@shared/schemas/city'
import type { HallReading, RatingCounts, RatingLevel } from '@shared/schemas/halls'
import { RATING_LEVELS } from '@shared/schemas/halls'

/** The suffix every town hall's name shares: the wall shows what tells them apart. */
const HALL_SUFFIX = '政务服务中心'

/**
 * A hall's name as a ranking shows it: in Chinese without the common suffix
 * (南城街道, 松山湖); in English the town's pinyin (the city model has no
 * English hall names), the city's own hall by `cityHall`.
 */
export function hallLabel(hall: ServiceHall, towns: ReadonlyMap<string, Town>, locale: string, cityHall: string): string {
  if (locale === 'en')
    return hall.level === 'city' ? cityHall : (towns.get(hall.townCode)?.pinyin ?? hall.name)
  const short = hall.name.endsWith(HALL_SUFFIX) ? hall.name.slice(0, -HALL_SUFFIX.length) : hall.name
  return short.length > 0 ? short : hall.name
}

export interface HallQueue {
  hallId: string
  waiting: number
  windowsOpen: number
  waitingPerWindow: number | null
  pressure: 'warn' | 'critical' | null
}

/** The halls where people wait, most first (ties: the more pressed, then by id), at most `n`. */
export function waitingTop(readings: Iterable<HallReading>, n: number): HallQueue[] {
  const RANK = { critical: 0, warn: 1 } as const
  const pressureRank = (p: HallQueue['pressure']): number => (p === null ? 2 : RANK[p])
  return [...readings]
    .filter(r => r.waiting > 0)
    .map(r => ({ hallId: r.hallId, waiting: r.waiting, windowsOpen: r.windowsOpen, waitingPerWindow: r.metrics.waitingPerWindow, pressure: r.metrics.pressure }))
    .sort((a, b) => b.waiting - a.waiting || pressureRank(a.pressure) - pressureRank(b.pressure) || (a.hallId < b.hallId ? -1 : 1))
    .slice(0, n)
}

/** The halls with 差评 today, most first, at most `n`. */
export function mostBadRatings(readings: Iterable<HallReading>, n: number): { hallId: string, bad: number }[] {
  return [...readings]
    .filter(r => r.metrics.badRatings > 0)
    .map(r => ({ hallId: r.hallId, bad: r.metrics.badRatings }))
    .sort((a, b) => b.bad - a.bad || (a.hallId < b.hallId ? -1 : 1))
    .slice(0, n)
}

/** 非常满意 … 非常不满意: greens to reds, the last two (差评) warm; the words always come with them. */
export const RATING_COLORS: Readonly<Record<RatingLevel, string>> = {
  verySatisfied: '#1fd286',
  satisfied: '#6fdca8',
  basic: '#8aa4c4',
  dissatisfied: '#ffb020',
  veryDissatisfied: '#ff4d4f',
}

export interface RatingFigures {
  total: number
  /** Ratings in each level, in the scale's order, with their share of the total (null before the first). */
  levels: { level: RatingLevel, count: number, share: number | null }[]
  bad: number
  /** 好评率: the share that is not 差评 (国办发〔2019〕51号); null before the first rating. */
  goodRate: number | null
}

export function ratingFigures(counts: RatingCounts): RatingFigures {
  const total = RATING_LEVELS.reduce((sum, level) => sum + counts[level], 0)
  const bad = counts.dissatisfied + counts.veryDissatisfied
  return {
    total,
    levels: RATING_LEVELS.map(level => ({ level, count: counts[level], share: total > 0 ? counts[level] / total : null })),
    bad,
    goodRate: total > 0 ? (total - bad) / total : null,
  }
}
