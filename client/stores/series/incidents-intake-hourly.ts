import type { ComputedRef } from 'vue'
import { computed, shallowRef, watch } from 'vue'
import { IncidentIntake } from '@shared/schemas/incidents'
import { getJson } from '@client/stores/http'
import { useLiveStore } from '@client/stores/live'
import { cityDayStart, DAY_MS, HOUR_MS } from './halls-incidents-day'
import type { RefreshMark } from './history-refresh'
import { refreshDue } from './history-refresh'

/** Today's and yesterday's intake in each hour of the city's clock (index 0 = 00:00–01:00); null where it is not known. */
export interface HourlyIntake {
  dayStart: number
  today: (number | null)[]
  yesterday: (number | null)[]
  /** The hour in progress (its figure grows until the hour ends). */
  currentHour: number
}

/** What the server counted, by the hour orders were reported: hours from `from` up to `asOf` (its clock when asked). */
export interface IntakeCount {
  from: number
  asOf: number
  /** Orders per hour start; an hour absent had none. */
  hours: ReadonlyMap<number, number>
}

export function intakeCount(answer: IncidentIntake, asOf: number): IntakeCount {
  return { from: Date.parse(answer.from), asOf, hours: new Map(answer.hours.map(h => [Date.parse(h.t), h.count])) }
}

/**
 * Orders taken in each hour, as the server counted them by report time: an
 * hour that had ended when it was asked has its count. The hour in progress
 * is the day's live intake (the kpis stream) less the earlier hours of
 * today, so it grows with every KPI set between two reads. An hour the last
 * read does not cover (it began before the read's span, or ended after the
 * read) has no figure: never an estimate.
 */
export function hourlyIntake(count: IntakeCount | null, at: number, intakeToday: number | null): HourlyIntake {
  const dayStart = cityDayStart(at)
  const currentHour = Math.floor((at - dayStart) / HOUR_MS)
  const counted = (from: number): number | null =>
    count !== null && from >= count.from && from + HOUR_MS <= count.asOf ? (count.hours.get(from) ?? 0) : null
  const earlierToday = (): number | null => {
    let sum = 0
    for (let h = 0; h < currentHour; h++) {
      const n = counted(dayStart + h * HOUR_MS)
      if (n === null)
        return null
      sum += n
    }
    return sum
  }
  const today = Array.from({ length: 24 }, (_, h): number | null => {
    if (h < currentHour)
      return counted(dayStart + h * HOUR_MS)
    if (h > currentHour || intakeToday === null)
      return null
    const before = earlierToday()
    return before === null ? null : Math.max(0, intakeToday - before)
  })
  const yesterday = Array.from({ length: 24 }, (_, h) => counted(dayStart - DAY_MS + h * HOUR_MS))
  return { dayStart, today, yesterday, currentHour }
}

/** Asks the server for the intake by hour over [from, to). */
export type IntakeLoader = (from: number, to: number) => Promise<IncidentIntake>

const iso = (t: number): string => new Date(t).toISOString()
const httpLoader: IntakeLoader = (from, to) => getJson(`/api/incidents/intake?from=${iso(from)}&to=${iso(to)}`, IncidentIntake)

/** A new hour of the city's clock is a new question: the hour just ended gets its count at once. */
const hourKey = (at: number): string => String(Math.floor(at / HOUR_MS))

export interface IncidentsIntakeHourly {
  hourly: ComputedRef<HourlyIntake | null>
  historyError: ComputedRef<string | null>
}

/**
 * 12345 intake per hour of today and yesterday, for as long as the calling
 * component lives: the server's count read at each new hour and every 5
 * minutes of its clock (history-refresh.ts's schedule), the hour in progress
 * from each KPI set the stream brings.
 */
export function useIncidentsIntakeHourly(load: IntakeLoader = httpLoader, realNow: () => number = Date.now): IncidentsIntakeHourly {
  const live = useLiveStore()
  const count = shallowRef<IntakeCount | null>(null)
  const error = shallowRef<string | null>(null)
  const at = shallowRef<number | null>(null)
  const intakeToday = shallowRef<number | null>(null)
  let last: RefreshMark | null = null
  let reading = 0

  async function read(serverAt: number): Promise<void> {
    last = { serverAt, realAt: realNow(), epoch: hourKey(serverAt) }
    const mine = ++reading
    try {
      const answer = await load(cityDayStart(serverAt) - DAY_MS, serverAt + HOUR_MS)
      if (mine === reading) {
        count.value = intakeCount(answer, serverAt)
        error.value = null
      }
    }
    catch (err) {
      // The last count stays: the panel says the history is unavailable.
      if (mine === reading)
        error.value = err instanceof Error ? err.message : String(err)
    }
  }

  watch(() => live.view('kpis')?.at, () => {
    const set = live.view('kpis')
    if (!set)
      return
    const now = Date.parse(set.at)
    at.value = now
    intakeToday.value = set.incidents.intakeToday.value
    if (refreshDue(last, now, realNow(), hourKey(now)))
      void read(now)
  }, { immediate: true })

  return {
    hourly: computed(() => (at.value === null ? null : hourlyIntake(count.value, at.value, intakeToday.value))),
    historyError: computed(() => error.value),
  }
}
