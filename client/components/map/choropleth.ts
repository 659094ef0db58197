import type { ExpressionSpecification } from 'maplibre-gl'
import { AQI_LEVELS } from '@shared/air/levels'
import { DEFAULT_HALL_THRESHOLDS } from '@shared/halls/metrics'
import type { AirStation, StationReading } from '@shared/schemas/air'
import type { ServiceHall } from '@shared/schemas/city'
import type { HallReading } from '@shared/schemas/halls'
import type { TownTraffic } from '@shared/schemas/traffic'
import { CONGESTION_GRADE_INFO } from '@shared/traffic/congestion'
import type { ChoroplethMetric } from './map-view'

/** A town without a value (no reading, no open window) is drawn in this colour, not as zero. */
export const NO_DATA_FILL = '#5a6472'

/** One class of a choropleth: values from `from` up to the next class's `from`. */
export interface ChoroplethClass {
  from: number
  color: string
  /** The class's name where the standard names it (AQI levels, congestion grades); numeric ranges otherwise. */
  zh?: string
  en?: string
}

export interface ChoroplethScale {
  classes: readonly ChoroplethClass[]
  /** Decimals the values are shown with. */
  digits: number
}

/** HJ 633-2012's six levels: 0–50, 51–100, … (AQI is an integer). */
const AQI_CLASSES: ChoroplethClass[] = AQI_LEVELS.map((l, i) => ({
  from: i === 0 ? 0 : (AQI_LEVELS[i - 1]?.max ?? 0) + 1,
  color: l.color,
  zh: l.zh,
  en: l.en,
}))

/** GB/T 33171's network grades by TPI: [0, 2) free … [8, 10] severe. */
const TPI_CLASSES: ChoroplethClass[] = CONGESTION_GRADE_INFO.map((g, i) => ({ from: i * 2, color: g.color, zh: g.zh, en: g.en }))

/**
 * People waiting per open window, on the queue thresholds (domain.md §4.3):
 * calm blues below the warning level, then amber (warn) and red (critical).
 * Blue against amber and red stays apart for red–green colour-blind readers.
 */
const WAITING_CLASSES: ChoroplethClass[] = [
  { from: 0, color: '#1f5f8f' },
  { from: DEFAULT_HALL_THRESHOLDS.warnWaitingPerWindow / 2, color: '#4fa3d9' },
  { from: DEFAULT_HALL_THRESHOLDS.warnWaitingPerWindow, color: '#f5a623' },
  { from: DEFAULT_HALL_THRESHOLDS.criticalWaitingPerWindow, color: '#d0312d' },
]

/** Open work orders: a sequential purple ramp, dim (none) to bright (many), as a dark wall reads it. */
const INCIDENT_RAMP = ['#2c2a4a', '#4f3f8f', '#7d5fc4', '#b583e6', '#f2b3ff']

/** The largest of 1, 2, 5 × 10ⁿ that is at most `x` (1 for anything smaller). */
export function niceFloor(x: number): number {
  if (!(x >= 1))
    return 1
  const p = 10 ** Math.floor(Math.log10(x))
  return [5, 2, 1].map(m => m * p).find(v => v <= x) ?? p
}

/**
 * Open work orders per town grow through the day and differ by city, so the
 * classes follow the busiest town: none, then steps of a round size chosen so
 * that the busiest town lands in the top class. They change only when that
 * town crosses a round number.
 */
export function incidentClasses(max: number): ChoroplethClass[] {
  const step = Math.max(2, niceFloor(max / 3))
  return [0, 1, step, 2 * step, 3 * step].map((from, i) => ({ from, color: INCIDENT_RAMP[i] as string }))
}

/** The classes of a metric; the incidents' depend on the values shown. */
export function choroplethScale(metric: ChoroplethMetric, values: ReadonlyMap<string, number>): ChoroplethScale {
  switch (metric) {
    case 'aqi': return { classes: AQI_CLASSES, digits: 0 }
    case 'tpi': return { classes: TPI_CLASSES, digits: 1 }
    case 'waitingPerWindow': return { classes: WAITING_CLASSES, digits: 1 }
    case 'openIncidents': return { classes: incidentClasses(Math.max(0, ...values.values())), digits: 0 }
  }
}

/**
 * The fill colour of a town from its value, read from feature-state (the
 * partial strategy) or from a property (the naive one); −1 means no value.
 */
export function choroplethColor(scale: ChoroplethScale): ExpressionSpecification {
  const value: ExpressionSpecification = ['to-number', ['coalesce', ['feature-state', 'value'], ['get', 'value'], -1]]
  const stops = scale.classes.slice(1).flatMap(c => [c.from, c.color])
  return ['step', value, NO_DATA_FILL, 0, scale.classes[0]?.color ?? NO_DATA_FILL, ...stops] as ExpressionSpecification
}

/** What each town's value is computed from: the stores' current state. */
export interface TownInputs {
  stations: readonly AirStation[]
  readings: ReadonlyMap<string, StationReading>
  traffic: ReadonlyMap<string, TownTraffic>
  /** The KPIs' per-town TPI, used where the traffic stream has no town yet. */
  tpiByTown: Readonly<Record<string, number>> | null
  halls: readonly ServiceHall[]
  hallReadings: ReadonlyMap<string, HallReading>
  /** Open work orders per town code; null before the first KPI set. */
  openByTown: Readonly<Record<string, number>> | null
}

/** The AQI of a town: its worst station (an operations wall looks for the worst air, not the average). */
function aqiByTown(inputs: TownInputs): Map<string, number> {
  const out = new Map<string, number>()
  for (const s of inputs.stations) {
    const aqi = inputs.readings.get(s.id)?.aqi.aqi
    if (aqi != null)
      out.set(s.townCode, Math.max(aqi, out.get(s.townCode) ?? 0))
  }
  return out
}

/** People waiting over windows open, summed over the town's halls; none when no window is open. */
function waitingByTown(inputs: TownInputs): Map<string, number> {
  const sums = new Map<string, { waiting: number, open: number }>()
  for (const hall of inputs.halls) {
    const r = inputs.hallReadings.get(hall.id)
    if (!r)
      continue
    const s = sums.get(hall.townCode) ?? { waiting: 0, open: 0 }
    s.waiting += r.waiting
    s.open += r.windowsOpen
    sums.set(hall.townCode, s)
  }
  const out = new Map<string, number>()
  for (const [code, s] of sums) {
    if (s.open > 0)
      out.set(code, s.waiting / s.open)
  }
  return out
}

/** Each town's value of a metric, by town code; towns without one are absent. */
export function townValues(metric: ChoroplethMetric, towns: readonly { code: string }[], inputs: TownInputs): Map<string, number> {
  switch (metric) {
    case 'aqi': return aqiByTown(inputs)
    case 'waitingPerWindow': return waitingByTown(inputs)
    case 'tpi': {
      const out = new Map<string, number>()
      for (const { code } of towns) {
        const tpi = inputs.traffic.get(code)?.tpi ?? inputs.tpiByTown?.[code]
        if (tpi !== undefined)
          out.set(code, tpi)
      }
      return out
    }
    case 'openIncidents': {
      const open = inputs.openByTown
      // The KPIs list only towns with open orders: once they have arrived, every other town has none.
      return new Map(open ? towns.map(({ code }) => [code, open[code] ?? 0]) : [])
    }
  }
}
