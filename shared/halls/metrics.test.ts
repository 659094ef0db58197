import { describe, expect, it } from 'vitest'
import type { HallObservation, HallReading, RatingCounts } from '../schemas/halls'
import { HallMetrics, HallObservation as HallObservationSchema, HallsSummary } from '../schemas/halls'
import type { HallThresholds } from './metrics'
import { DEFAULT_HALL_THRESHOLDS, goodRate, hallMetrics, hallsSummary } from './metrics'

const NO_RATINGS: RatingCounts = { verySatisfied: 0, satisfied: 0, basic: 0, dissatisfied: 0, veryDissatisfied: 0 }

function obs(over: Partial<HallObservation> = {}): HallObservation {
  return HallObservationSchema.parse({
    hallId: 'hall-1',
    observedAt: '2026-03-02T10:00:00+08:00',
    waiting: 0,
    windowsOpen: 5,
    windowsBusy: 3,
    ticketsToday: 100,
    servedToday: 80,
    avgWaitMin: 10,
    maxWaitMin: 15,
    ratingsToday: NO_RATINGS,
    ...over,
  })
}

function reading(over: Partial<HallObservation> = {}): HallReading {
  const o = obs(over)
  return { ...o, metrics: hallMetrics(o) }
}

describe('DEFAULT_HALL_THRESHOLDS', () => {
  it('are the defaults of domain.md §4.3', () => {
    expect(DEFAULT_HALL_THRESHOLDS).toEqual({
      warnWaitingPerWindow: 10, criticalWaitingPerWindow: 20,
      warnAvgWaitMin: 20, criticalAvgWaitMin: 40, warnMaxWaitMin: 45,
    })
  })
})

describe('goodRate', () => {
  it('is null before the first rating', () => {
    expect(goodRate(NO_RATINGS)).toBeNull()
  })
  it('counts 不满意 and 非常不满意 as 差评, 基本满意 as good', () => {
    // 12 + 5 + 2 good, 1 + 0 bad → 19/20
    expect(goodRate({ verySatisfied: 12, satisfied: 5, basic: 2, dissatisfied: 1, veryDissatisfied: 0 })).toBe(0.95)
    expect(goodRate({ ...NO_RATINGS, basic: 3 })).toBe(1)
    expect(goodRate({ ...NO_RATINGS, dissatisfied: 1, veryDissatisfied: 3 })).toBe(0)
  })
})

describe('hallMetrics', () => {
  it('derives per-window load, utilisation and ratings', () => {
    const m = hallMetrics(obs({
      waiting: 18, windowsOpen: 4, windowsBusy: 3,
      ratingsToday: { verySatisfied: 6, satisfied: 2, basic: 0, dissatisfied: 1, veryDissatisfied: 1 },
    }))
    expect(m).toEqual({ waitingPerWindow: 4.5, utilization: 0.75, ratingsTotal: 10, goodRate: 0.8, badRatings: 2, pressure: null })
    expect(HallMetrics.parse(m)).toEqual(m)
  })

  it('has no per-window figures and no pressure when no window is open', () => {
    const m = hallMetrics(obs({ waiting: 40, windowsOpen: 0, windowsBusy: 0, avgWaitMin: 50, maxWaitMin: 60 }))
    expect(m.waitingPerWindow).toBeNull()
    expect(m.utilization).toBeNull()
    expect(m.pressure).toBeNull()
    expect(HallMetrics.parse(m)).toEqual(m)
  })

  describe('pressure at the threshold edges', () => {
    const cases: [string, Partial<HallObservation>, 'warn' | 'critical' | null][] = [
      ['9.8 per window', { waiting: 49, windowsOpen: 5 }, null],
      ['10 per window', { waiting: 50, windowsOpen: 5 }, 'warn'],
      ['19.8 per window', { waiting: 99, windowsOpen: 5 }, 'warn'],
      ['20 per window', { waiting: 100, windowsOpen: 5 }, 'critical'],
      ['10 per window on 3 windows', { waiting: 30, windowsOpen: 3, windowsBusy: 3 }, 'warn'],
      ['9.67 per window on 3 windows', { waiting: 29, windowsOpen: 3, windowsBusy: 3 }, null],
      ['avg wait 19.9', { avgWaitMin: 19.9, maxWaitMin: 30 }, null],
      ['avg wait 20', { avgWaitMin: 20, maxWaitMin: 30 }, 'warn'],
      ['avg wait 39.9', { avgWaitMin: 39.9, maxWaitMin: 40 }, 'warn'],
      ['avg wait 40', { avgWaitMin: 40, maxWaitMin: 40 }, 'critical'],
      ['max wait 44.9', { maxWaitMin: 44.9 }, null],
      ['max wait 45', { maxWaitMin: 45 }, 'warn'],
      ['max wait 300 alone is only warn', { maxWaitMin: 300 }, 'warn'],
    ]
    for (const [label, over, expected] of cases) {
      it(`${label} → ${String(expected)}`, () => {
        expect(hallMetrics(obs(over)).pressure).toBe(expected)
      })
    }
  })

  it('uses thresholds it is given', () => {
    const strict: HallThresholds = { ...DEFAULT_HALL_THRESHOLDS, warnWaitingPerWindow: 2, criticalAvgWaitMin: 10 }
    expect(hallMetrics(obs({ waiting: 10, windowsOpen: 5, avgWaitMin: 5 }), strict).pressure).toBe('warn')
    expect(hallMetrics(obs({ avgWaitMin: 10 }), strict).pressure).toBe('critical')
    expect(hallMetrics(obs({ waiting: 10, windowsOpen: 5, avgWaitMin: 9 })).pressure).toBeNull()
  })
})

describe('hallsSummary', () => {
  it('is null when no hall reports', () => {
    expect(hallsSummary([], 36)).toBeNull()
  })

  it('sums the halls and weights the average wait by tickets served (by hand)', () => {
    const readings = [
      reading({ hallId: 'a', observedAt: '2026-03-02T10:00:00+08:00', waiting: 30, windowsOpen: 3, windowsBusy: 3,
        ticketsToday: 200, servedToday: 150, avgWaitMin: 12, maxWaitMin: 30,
        ratingsToday: { ...NO_RATINGS, verySatisfied: 40, dissatisfied: 2 } }),
      // newer by wall time though written in UTC
      reading({ hallId: 'b', observedAt: '2026-03-02T02:00:30Z', waiting: 5, windowsOpen: 2, windowsBusy: 1,
        ticketsToday: 60, servedToday: 50, avgWaitMin: 28, maxWaitMin: 50,
        ratingsToday: { ...NO_RATINGS, satisfied: 7, veryDissatisfied: 1 } }),
      reading({ hallId: 'c', observedAt: '2026-03-02T09:59:00+08:00', waiting: 4, windowsOpen: 0, windowsBusy: 0,
        ticketsToday: 4, servedToday: 0, avgWaitMin: 0, maxWaitMin: 20 }),
    ]
    const s = hallsSummary(readings, 36)
    expect(s).not.toBeNull()
    expect(s).toEqual({
      observedAt: '2026-03-02T02:00:30Z',
      waiting: 39,
      windowsOpen: 5,
      windowsBusy: 4,
      waitingPerWindow: 39 / 5,
      avgWaitMin: 16, // (12 × 150 + 28 × 50 + 0 × 0) / 200
      maxWaitMin: 50,
      ticketsToday: 264,
      servedToday: 200,
      ratingsToday: { verySatisfied: 40, satisfied: 7, basic: 0, dissatisfied: 2, veryDissatisfied: 1 },
      goodRate: 47 / 50,
      hallsOpen: 2,
      hallsReporting: 3,
      hallsTotal: 36,
    })
    expect(HallsSummary.parse(s)).toEqual(s)
  })

  it('falls back to the plain mean before anyone is served, and to null figures when nothing is open', () => {
    const s = hallsSummary([
      reading({ windowsOpen: 0, windowsBusy: 0, servedToday: 0, avgWaitMin: 0, maxWaitMin: 5 }),
      reading({ windowsOpen: 0, windowsBusy: 0, servedToday: 0, avgWaitMin: 9, maxWaitMin: 12 }),
    ], 2)
    expect(s?.avgWaitMin).toBe(4.5)
    expect(s?.waitingPerWindow).toBeNull()
    expect(s?.goodRate).toBeNull()
    expect(s?.hallsOpen).toBe(0)
    expect(HallsSummary.parse(s)).toEqual(s)
  })
})
