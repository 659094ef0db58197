import type { WorkingCalendar } from '@shared/calendar/working-days'
import { localDate, localMidnight } from '@shared/calendar/working-days'
import { addDays } from '@shared/review/periods'
import type { CityModel } from '@shared/schemas/city'
import type { ReviewRepository } from '@server/store/review.repository'
import type { DayRow } from './day-fold'
import { foldStored, LiveDays, newDayFolds } from './live-days'
import { PeriodicPass } from './periodic-pass'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
/** A day is folded this long after it ends, when the last records of its last hour are in. */
export const FOLD_GRACE_MS = 15 * MINUTE_MS
/** …and folded once more if that first fold came sooner than this after its end: late records still land in their hour. */
export const SETTLED_AFTER_MS = 2 * HOUR_MS
/** Days folded per pass: a backfill of months goes on in the next passes instead of holding the store. */
const DAYS_PER_PASS = 31
/** Day rows are kept about three years; the hourly history they are made of is kept 400 days by default. */
export const DAY_RETENTION_DAYS = 3 * 366

export interface DayFolderDeps {
  review: ReviewRepository
  city: CityModel
  calendar: WorkingCalendar
  /** The server's (simulated) clock, epoch ms. */
  now: () => number
  /** How often a pass looks for days to fold, in real ms. */
  intervalMs: number
  onError: (err: unknown) => void
}

/**
 * Folds each local day, once it is over, into `rollup_day` (server/review/
 * day-fold.ts, orders-fold.ts), on the leader: days not yet folded, and days
 * folded too soon after their end to hold their late records. The first
 * pass backfills from the oldest hour the history holds. Each pass also
 * keeps the days in progress folded up to their settled hours
 * (server/review/live-days.ts), so that a page reads only the last of them.
 */
export class DayFolder {
  private readonly periodic: PeriodicPass<string[]>
  private readonly live: LiveDays

  constructor(private readonly deps: DayFolderDeps) {
    this.periodic = new PeriodicPass(() => this.duePass(), deps.intervalMs, deps.onError)
    this.live = new LiveDays({ ...deps, graceMs: FOLD_GRACE_MS })
  }

  start(): Promise<void> {
    return this.periodic.start()
  }

  stop(): Promise<void> {
    return this.periodic.stop()
  }

  /** Folds what is due now; the days folded. One pass at a time. */
  foldDue(): Promise<string[]> {
    return this.periodic.run()
  }

  /** The rows of a local day, up to `until` when it is not over (today, or yesterday up to this time of day). */
  async rowsOf(day: string, until?: number): Promise<DayRow[]> {
    const start = localMidnight(day)
    const end = localMidnight(addDays(day, 1))
    if (until !== undefined && until < end)
      return this.live.rowsOf(day, until)
    const folds = newDayFolds(day, this.deps)
    await foldStored(folds, this.deps.review, start, end)
    return [...folds.telemetry.rows(), ...folds.orders.rows()]
  }

  /** Folds one whole day and stores it. */
  async fold(day: string): Promise<void> {
    const rows = await this.rowsOf(day)
    await this.deps.review.saveDay(day, rows, new Date(this.deps.now()).toISOString())
  }

  private async duePass(): Promise<string[]> {
    const now = this.deps.now()
    const first = await this.deps.review.firstRecord()
    if (first === null)
      return []
    const folds = await this.deps.review.folds()
    const oldest = addDays(localDate(now), -DAY_RETENTION_DAYS)
    const due: string[] = []
    // Newest first: yesterday matters more than a backfill of last spring.
    for (let day = addDays(localDate(now), -1); day >= localDate(first) && due.length < DAYS_PER_PASS; day = addDays(day, -1)) {
      const end = localMidnight(addDays(day, 1))
      if (now < end + FOLD_GRACE_MS)
        continue
      const folded = folds.get(day)
      if (folded === undefined || (Date.parse(folded) < end + SETTLED_AFTER_MS && now >= end + SETTLED_AFTER_MS))
        due.push(day)
    }
    for (const day of due)
      await this.fold(day)
    await this.deps.review.prune(oldest)
    await this.live.keepUp()
    return due
  }
}
