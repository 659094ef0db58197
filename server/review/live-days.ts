import type { WorkingCalendar } from '@shared/calendar/working-days'
import { localDate, localMidnight } from '@shared/calendar/working-days'
import { addDays } from '@shared/review/periods'
import type { CityModel } from '@shared/schemas/city'
import type { ReviewRepository } from '@server/store/review.repository'
import type { DayRow } from './day-fold'
import { TelemetryDayFold } from './day-fold'
import { OrdersDayFold } from './orders-fold'

const HOUR_MS = 3_600_000

/** A day's two folds, of telemetry and of 12345 work. */
export interface DayFolds { telemetry: TelemetryDayFold, orders: OrdersDayFold }

export interface FoldSource {
  review: ReviewRepository
  city: CityModel
  calendar: WorkingCalendar
}

export function newDayFolds(day: string, source: FoldSource): DayFolds {
  return { telemetry: new TelemetryDayFold(day, source.city, source.calendar.isWorkingDay(day)), orders: new OrdersDayFold(day) }
}

/** Adds to `folds` the stored hours starting in [from, to) and the 12345 work of that range. Reads everything before adding anything. */
export async function foldStored(folds: DayFolds, review: ReviewRepository, from: number, to: number): Promise<void> {
  const range = { from: new Date(from).toISOString(), to: new Date(to).toISOString() }
  const hours = await review.hours(range)
  const work = await review.ordersWork(range)
  folds.telemetry.add(hours)
  folds.orders.add(range, work.incidents, work.orders, work.events)
}

export interface LiveDaysDeps extends FoldSource {
  /** The server's (simulated) clock, epoch ms. */
  now: () => number
  /** How long after an hour's end its records are taken to be in (server/review/day-folder.ts FOLD_GRACE_MS). */
  graceMs: number
}

/** A day in progress: its folds of the hours (and the work) before `settledTo`, which are not read again. */
interface Held extends DayFolds { settledTo: number }

/**
 * The rows of days not yet over, for the review's pages: today so far, and
 * yesterday up to this time of day for the comparison. Each hour is read and
 * folded once, when it is more than the grace past its end; the hours after
 * that are read again on every call. A page therefore costs the last hour or
 * two of records, not the whole day's (about 300 ms a day for Dongguan).
 * The result is the whole-day fold of the same range (review-seed.test.ts),
 * as of when each hour settled: an order reopened after its close's hour
 * settled still counts that close, as a stored day does once folded.
 */
export class LiveDays {
  private readonly held = new Map<string, Held>()
  /** One fold at a time: two pages at once must not both add the same hours. */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(private readonly deps: LiveDaysDeps) {}

  /** The rows of local day `day` up to `until` (the hours that start before it, the work before it). */
  rowsOf(day: string, until: number): Promise<DayRow[]> {
    return this.serial(async () => {
      const { held, settleTo, end } = await this.settle(day, until)
      const open: DayFolds = { telemetry: held.telemetry.clone(), orders: held.orders.clone() }
      if (end > settleTo)
        await foldStored(open, this.deps.review, settleTo, end)
      return [...open.telemetry.rows(), ...open.orders.rows()]
    })
  }

  /** Folds the hours of today, and of yesterday up to this time of day, that have settled since the last call: a page then reads only the rest. */
  keepUp(): Promise<void> {
    return this.serial(async () => {
      const now = this.deps.now()
      const today = localDate(now)
      await this.settle(today, now)
      await this.settle(addDays(today, -1), localMidnight(addDays(today, -1)) + now - localMidnight(today))
    })
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work)
    this.queue = run.catch(() => undefined)
    return run
  }

  /** The day's fold of its settled hours, brought up to date. */
  private async settle(day: string, until: number): Promise<{ held: Held, settleTo: number, end: number }> {
    const now = this.deps.now()
    const start = localMidnight(day)
    const end = Math.min(localMidnight(addDays(day, 1)), until)
    const settleTo = Math.max(start, Math.floor(Math.min(end, now - this.deps.graceMs) / HOUR_MS) * HOUR_MS)
    let held = this.held.get(day)
    // A range cut earlier than what is held (another `until`, a clock set back): start over.
    if (!held || held.settledTo > settleTo)
      this.held.set(day, held = { ...newDayFolds(day, this.deps), settledTo: start })
    if (settleTo > held.settledTo) {
      await foldStored(held, this.deps.review, held.settledTo, settleTo)
      held.settledTo = settleTo
    }
    const yesterday = addDays(localDate(now), -1)
    for (const key of this.held.keys()) {
      if (key < yesterday)
        this.held.delete(key)
    }
    return { held, settleTo, end }
  }
}
