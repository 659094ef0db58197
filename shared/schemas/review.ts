import { z } from 'zod'
import { CalendarDate } from '../calendar/working-days'
import { AqiLevelNumber, Pollutant } from './air'
import { Instant, TownCode } from './common'
import { RatingCounts } from './halls'
import { IncidentNature, IncidentTopic } from './incident-kinds'
import { CongestionGrade, RoadClass } from './traffic'
import { DispatchCounts } from './work-orders'

/**
 * The leaders' review (issue 9): the city, a town or a department over a
 * period of local days (Asia/Shanghai), each measure beside the same measure
 * over the period just before. GET /api/review answers one page; the daily
 * and weekly reports keep one page each.
 */

/** today: since local midnight; 7d, 30d, quarter (90 d): that many whole days up to yesterday; custom: from–to, whole local days. */
export const REVIEW_RANGES = ['today', '7d', '30d', 'quarter', 'custom'] as const
export const ReviewRange = z.enum(REVIEW_RANGES)
export type ReviewRange = z.infer<typeof ReviewRange>

/** The longest custom period: a little over a year (the hourly history is kept 400 days). */
export const REVIEW_MAX_DAYS = 400

/** Whose page: `city`, `town:<code>` or `dept:<department id>`. */
export const ReviewScope = z.union([
  z.literal('city'),
  z.templateLiteral(['town:', z.string().regex(/^\d{6}(?:\d{3})?$/)]),
  z.templateLiteral(['dept:', z.string().regex(/^[\w.-]{1,64}$/)]),
], { error: 'city, town:<town code> or dept:<department id>' })
export type ReviewScope = z.infer<typeof ReviewScope>

export const ReviewQuery = z.object({
  scope: ReviewScope.default('city'),
  range: ReviewRange.default('7d'),
  /** custom only: the first and last local day, inclusive. */
  from: CalendarDate.optional(),
  to: CalendarDate.optional(),
}).superRefine((q, ctx) => {
  if (q.range !== 'custom') {
    if (q.from !== undefined || q.to !== undefined)
      ctx.addIssue({ code: 'custom', path: ['range'], message: 'from and to go with range=custom' })
    return
  }
  if (q.from === undefined || q.to === undefined) {
    ctx.addIssue({ code: 'custom', path: [q.from === undefined ? 'from' : 'to'], message: 'range=custom needs from and to (YYYY-MM-DD)' })
    return
  }
  if (q.to < q.from)
    ctx.addIssue({ code: 'custom', path: ['to'], message: 'must not be before from' })
})
export type ReviewQuery = z.infer<typeof ReviewQuery>
export type ReviewQueryInput = z.input<typeof ReviewQuery>

/** A span of whole local days, [fromAt, toAt) as instants; `partial` when it ends now, inside its last day. */
export const ReviewPeriod = z.object({
  from: CalendarDate,
  to: CalendarDate,
  fromAt: Instant,
  toAt: Instant,
  days: z.number().int().positive(),
  partial: z.boolean(),
})
export type ReviewPeriod = z.infer<typeof ReviewPeriod>

/** A measure over the period and over the one before (null: nothing to measure). */
export const Compared = z.object({ value: z.number().nullable(), previous: z.number().nullable() })
export type Compared = z.infer<typeof Compared>

const Count = z.number().int().nonnegative()

export const DailyAqiPoint = z.object({
  day: CalendarDate,
  aqi: z.number().int().nonnegative().nullable(),
  level: AqiLevelNumber.nullable(),
  primary: z.array(Pollutant),
  pm25: z.number().nullable(),
  o3_8h: z.number().nullable(),
  /** Enough hours for the daily report (HJ 663): only valid days are counted by level. */
  valid: z.boolean(),
})
export type DailyAqiPoint = z.infer<typeof DailyAqiPoint>

export const AirReview = z.object({
  /** The stations the measures are made of (the city's, or the town's). */
  stations: Count,
  days: z.array(DailyAqiPoint),
  /** Hourly AQI (real-time method) when the period is one day. */
  hours: z.array(z.object({ t: Instant, aqi: z.number().int().nonnegative().nullable() })),
  validDays: Compared,
  /** Valid days per level 1–6. */
  daysByLevel: z.array(z.object({ level: AqiLevelNumber, days: Count })),
  /** 优良天数比例: levels 1 and 2 among valid days, 0–1. */
  goodShare: Compared,
  aqiMean: Compared,
  /** Period means of the daily values (µg/m³): PM2.5, PM10, NO2 and the daily maximum 8-hour O3. */
  pm25: Compared,
  pm10: Compared,
  no2: Compared,
  o3_8h: Compared,
  /** Days each pollutant was primary (首要污染物; only days above 50). */
  primaryDays: z.array(z.object({ pollutant: Pollutant, days: Count })),
})
export type AirReview = z.infer<typeof AirReview>

export const TrafficReview = z.object({
  /** Mean TPI by local weekday (0 Monday … 6 Sunday) and hour (0–23); null where no data. */
  tpiByWeekdayHour: z.array(z.array(z.number().nullable()).length(24)).length(7),
  tpiMean: Compared,
  /** Mean TPI of the working-day peaks, 07–09 and 17–19. */
  peakTpi: Compared,
  days: z.array(z.object({ day: CalendarDate, tpi: z.number().nullable() })),
  /** Roads by the share of their length-hours in moderate or severe congestion, worst first (at most 10). */
  corridors: z.array(z.object({ name: z.string(), roadClass: RoadClass, lengthKm: z.number(), congestedShare: z.number(), previousShare: z.number().nullable() })),
  /** Towns by mean TPI, worst first (the city's page). */
  towns: z.array(z.object({ townCode: TownCode, tpi: z.number(), peakTpi: z.number().nullable(), previous: z.number().nullable() })),
  /** Mean road kilometres in each grade over the period's hours. */
  kmByGrade: z.array(z.object({ grade: CongestionGrade, km: z.number(), previous: z.number().nullable() })),
})
export type TrafficReview = z.infer<typeof TrafficReview>

/** Visitors by the daily mean wait of the hall they came to. */
export const WAIT_BANDS = ['0-5', '5-10', '10-15', '15-20', '20-30', '30+'] as const
export const WaitBand = z.enum(WAIT_BANDS)
export type WaitBand = z.infer<typeof WaitBand>

export const HallReview = z.object({
  halls: Count,
  /** 取号量 over the period. */
  visitors: Compared,
  days: z.array(z.object({ day: CalendarDate, visitors: Count })),
  /** Mean wait, weighted by each hall-day's tickets (minutes). */
  waitMin: Compared,
  waitBands: z.array(z.object({ band: WaitBand, visitors: Count })),
  ratings: RatingCounts,
  /** 好评率: ratings that are not 差评. */
  goodRate: Compared,
  badRatings: Compared,
  /** By visitors, most first (at most 10). */
  busiest: z.array(z.object({ hallId: z.string(), visitors: Count, waitMin: z.number().nullable(), goodRate: z.number().nullable(), bad: Count })),
  /** Halls with 差评, most first (at most 10). */
  badByHall: z.array(z.object({ hallId: z.string(), bad: Count, ratings: Count })),
})
export type HallReview = z.infer<typeof HallReview>

/** The dispatch counts over a period, without the "now" count of overdue orders. */
export const PeriodCounts = DispatchCounts.omit({ overdueOpen: true }).extend({ accepted: Count })
export type PeriodCounts = z.infer<typeof PeriodCounts>

export const HotlineReview = z.object({
  counts: PeriodCounts,
  previous: PeriodCounts,
  /** Open orders past a deadline now. */
  overdueNow: Count,
  days: z.array(z.object({ day: CalendarDate, accepted: Count, closed: Count })),
  byTopic: z.array(z.object({ topic: IncidentTopic, count: Count, previous: Count })),
  byTown: z.array(z.object({ townCode: TownCode, count: Count, previous: Count })),
  byNature: z.array(z.object({ nature: IncidentNature, count: Count })),
  /** The league table: every department with counts in the period (a department's page: its own row). */
  departments: z.array(PeriodCounts.extend({ departmentId: z.string() })),
  /** Cells of about 1 km with repeated complaints (投诉, 举报), most first (at most 30). */
  hotspots: z.array(z.object({ lng: z.number(), lat: z.number(), count: Count, topic: IncidentTopic, townCode: TownCode.nullable() })),
})
export type HotlineReview = z.infer<typeof HotlineReview>

export const ReviewPage = z.object({
  scope: ReviewScope,
  /** Chinese name of the scope (东莞市, 南城街道, 东莞市城市管理和综合执法局). */
  name: z.string(),
  range: ReviewRange,
  period: ReviewPeriod,
  previous: ReviewPeriod,
  generatedAt: Instant,
  /** Null where the scope has none of it (a department's page shows its 12345 work only). */
  air: AirReview.nullable(),
  traffic: TrafficReview.nullable(),
  halls: HallReview.nullable(),
  hotline: HotlineReview,
})
export type ReviewPage = z.infer<typeof ReviewPage>

/** The change of a measure against the previous period: absolute and relative (null when either side is missing or the base is 0). */
export function change(m: Compared): { delta: number | null, ratio: number | null } {
  if (m.value === null || m.previous === null)
    return { delta: null, ratio: null }
  const delta = m.value - m.previous
  return { delta, ratio: m.previous === 0 ? null : delta / Math.abs(m.previous) }
}
