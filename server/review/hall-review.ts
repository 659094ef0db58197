import type { RatingCounts } from '@shared/schemas/halls'
import { RATING_LEVELS } from '@shared/schemas/halls'
import type { Compared, HallReview } from '@shared/schemas/review'
import { WAIT_BANDS } from '@shared/schemas/review'
import type { DayTotal } from '@server/store/review.repository'
import { DAY_KINDS } from './day-fold'
import type { PeriodRows } from './period-rows'

/**
 * 政务大厅 over a period for a set of halls: visitors (取号量), the mean wait
 * weighted by visitors, visitors by their hall's daily mean wait, 好差评
 * (国办发〔2019〕51号: the last two of five levels are 差评) and the halls
 * busiest and with most 差评.
 */

const TOP_HALLS = 10

interface HallTotals { visitors: number, waitSum: number, waitVisitors: number, ratings: RatingCounts }

const noRatings = (): RatingCounts => ({ verySatisfied: 0, satisfied: 0, basic: 0, dissatisfied: 0, veryDissatisfied: 0 })
const badOf = (r: RatingCounts): number => r.dissatisfied + r.veryDissatisfied
const totalOf = (r: RatingCounts): number => RATING_LEVELS.reduce((sum, level) => sum + r[level], 0)
const goodRateOf = (r: RatingCounts): number | null => (totalOf(r) === 0 ? null : 1 - badOf(r) / totalOf(r))
const oneDecimal = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10)

function perHall(totals: readonly DayTotal[]): Map<string, HallTotals> {
  const halls = new Map<string, HallTotals>()
  for (const t of totals) {
    let hall = halls.get(t.entityId)
    if (!hall)
      halls.set(t.entityId, hall = { visitors: 0, waitSum: 0, waitVisitors: 0, ratings: noRatings() })
    if (t.metric === 'visitors')
      hall.visitors += t.sum
    else if (t.metric === 'waitMinVisitors') {
      hall.waitSum += t.sum
      hall.waitVisitors += t.n
    }
    else if (t.metric.startsWith('ratings.')) {
      const level = t.metric.slice('ratings.'.length) as keyof RatingCounts
      if (level in hall.ratings)
        hall.ratings[level] += t.sum
    }
  }
  return halls
}

function overall(halls: ReadonlyMap<string, HallTotals>): { visitors: number, waitMin: number | null, ratings: RatingCounts } {
  const ratings = noRatings()
  let visitors = 0
  let waitSum = 0
  let waitVisitors = 0
  for (const h of halls.values()) {
    visitors += h.visitors
    waitSum += h.waitSum
    waitVisitors += h.waitVisitors
    for (const level of RATING_LEVELS)
      ratings[level] += h.ratings[level]
  }
  return { visitors, waitMin: waitVisitors === 0 ? null : waitSum / waitVisitors, ratings }
}

/** `area`: the city or a town code; `hallIds`: its halls. */
export async function hallReview(current: PeriodRows, previous: PeriodRows, area: string, hallIds: readonly string[]): Promise<HallReview | null> {
  if (hallIds.length === 0)
    return null
  const [totals, previousTotals, dayRows] = await Promise.all([
    current.totals({ kind: DAY_KINDS.hallDay, entityIds: hallIds }),
    previous.totals({ kind: DAY_KINDS.hallDay, entityIds: hallIds }),
    current.days({ kind: DAY_KINDS.hallArea, entityIds: [area], metrics: ['visitors'] }),
  ])
  const halls = perHall(totals)
  const now = overall(halls)
  const before = overall(perHall(previousTotals))
  // A previous period without a hall-day (before the history began) compares with nothing, not with zero.
  const held = previousTotals.length > 0
  const compared = (value: number | null, prior: number | null): Compared => ({ value, previous: held ? prior : null })
  const byDay = new Map<string, number>()
  for (const r of dayRows)
    byDay.set(r.day, (byDay.get(r.day) ?? 0) + r.sum)
  const bands = new Map<string, number>()
  for (const t of totals) {
    if (t.metric.startsWith('waitBand.'))
      bands.set(t.metric.slice('waitBand.'.length), (bands.get(t.metric.slice('waitBand.'.length)) ?? 0) + t.sum)
  }
  const rows = [...halls.entries()].map(([hallId, h]) => ({ hallId, ...h }))
  return {
    halls: hallIds.length,
    visitors: compared(now.visitors, before.visitors),
    days: [...byDay.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, visitors]) => ({ day, visitors })),
    waitMin: compared(oneDecimal(now.waitMin), oneDecimal(before.waitMin)),
    waitBands: WAIT_BANDS.map(band => ({ band, visitors: bands.get(band) ?? 0 })),
    ratings: now.ratings,
    goodRate: compared(goodRateOf(now.ratings), goodRateOf(before.ratings)),
    badRatings: compared(badOf(now.ratings), badOf(before.ratings)),
    busiest: rows.filter(h => h.visitors > 0).sort((a, b) => b.visitors - a.visitors || (a.hallId < b.hallId ? -1 : 1)).slice(0, TOP_HALLS)
      .map(h => ({ hallId: h.hallId, visitors: h.visitors, waitMin: oneDecimal(h.waitVisitors === 0 ? null : h.waitSum / h.waitVisitors), goodRate: goodRateOf(h.ratings), bad: badOf(h.ratings) })),
    badByHall: rows.filter(h => badOf(h.ratings) > 0).sort((a, b) => badOf(b.ratings) - badOf(a.ratings) || (a.hallId < b.hallId ? -1 : 1)).slice(0, TOP_HALLS)
      .map(h => ({ hallId: h.hallId, bad: badOf(h.ratings), ratings: totalOf(h.ratings) })),
  }
}
