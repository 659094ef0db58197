import { localDate, localMidnight } from '@shared/calendar/working-days'
import { addDays, daysOf, reviewPeriods } from '@shared/review/periods'
import type { CityModel } from '@shared/schemas/city'
import type { ReviewPage, ReviewPeriod, ReviewQuery, ReviewScope } from '@shared/schemas/review'
import type { ReviewRepository } from '@server/store/review.repository'
import { airReview } from './air-review'
import { CITY } from './day-fold'
import type { DayFolder } from './day-folder'
import { hallReview } from './hall-review'
import { hotlineReview } from './hotline-review'
import type { PeriodRows } from './period-rows'
import { storedRows } from './period-rows'
import { trafficReview } from './traffic-review'

/** A scope the city does not have: 404. */
export class ReviewScopeError extends Error {}

export interface ReviewServiceDeps {
  review: ReviewRepository
  city: CityModel
  folder: DayFolder
  now: () => number
}

interface ResolvedScope { scope: ReviewScope, name: string, area: string | null, departmentId?: string }

/**
 * Answers a review page: the scope resolved against the city, the periods
 * on the server's clock, past days folded if the folder has not reached
 * them yet, the unfinished day folded on the spot, then each domain's
 * measures (server/review/*-review.ts).
 */
export class ReviewService {
  constructor(private readonly deps: ReviewServiceDeps) {}

  async page(q: ReviewQuery): Promise<ReviewPage> {
    const now = this.deps.now()
    const resolved = this.resolve(q.scope)
    const { period, previous } = reviewPeriods(q, now)
    await this.ensureFolded([period, previous], now)
    const [current, before] = await Promise.all([this.rowsOf(period), this.rowsOf(previous)])
    const { city } = this.deps
    const area = resolved.area
    const stationIds = area === null ? [] : city.airStations.filter(s => area === CITY || s.townCode === area).map(s => s.id)
    const hallIds = area === null ? [] : city.halls.filter(h => area === CITY || h.townCode === area).map(h => h.id)
    const ordersScope = q.scope
    const overdueNow = await this.deps.review.overdueOpen({
      now: new Date(now).toISOString(),
      ...(area !== null && area !== CITY ? { townCode: area } : {}),
      ...(resolved.departmentId !== undefined ? { departmentId: resolved.departmentId } : {}),
    })
    const [air, traffic, halls, hotline] = await Promise.all([
      area === null ? null : airReview(current, before, area, stationIds),
      area === null ? null : trafficReview(current, before, city, area),
      area === null ? null : hallReview(current, before, area, hallIds),
      hotlineReview(current, before, ordersScope, overdueNow, city.departments.map(d => d.id)),
    ])
    return { scope: q.scope, name: resolved.name, range: q.range, period, previous, generatedAt: new Date(now).toISOString(), air, traffic, halls, hotline }
  }

  private resolve(scope: ReviewScope): ResolvedScope {
    const { city } = this.deps
    if (scope === 'city')
      return { scope, name: city.name, area: CITY }
    if (scope.startsWith('town:')) {
      const code = scope.slice('town:'.length)
      const town = city.towns.find(t => t.code === code)
      if (!town)
        throw new ReviewScopeError(`no town ${code} in ${city.name}`)
      return { scope, name: town.name, area: code }
    }
    const id = scope.slice('dept:'.length)
    const department = city.departments.find(d => d.id === id)
    if (!department)
      throw new ReviewScopeError(`no department ${id} in ${city.name}`)
    return { scope, name: department.name, area: null, departmentId: id }
  }

  /**
   * Folds the periods' whole days the folder has not reached (a backfill
   * under way, a day just over); days before the first record have nothing
   * to fold and read as empty.
   */
  private async ensureFolded(periods: readonly ReviewPeriod[], now: number): Promise<void> {
    const first = await this.deps.review.firstRecord()
    if (first === null)
      return
    const firstDay = localDate(first)
    const folds = await this.deps.review.folds()
    for (const p of periods) {
      for (const day of daysOf(p.from, p.to)) {
        if (day >= firstDay && !folds.has(day) && localMidnight(addDays(day, 1)) <= now) {
          await this.deps.folder.fold(day)
          folds.set(day, new Date(now).toISOString())
        }
      }
    }
  }

  private async rowsOf(period: ReviewPeriod): Promise<PeriodRows> {
    const live = period.partial ? await this.deps.folder.rowsOf(period.to, Date.parse(period.toAt)) : []
    return storedRows(this.deps.review, period, live)
  }
}
