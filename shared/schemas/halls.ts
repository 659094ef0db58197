import { z } from 'zod'
import { EntityId, Instant } from './common'

/** The five levels of 政务服务"好差评" (国办发〔2019〕51号); the last two are 差评. */
export const RATING_LEVELS = ['verySatisfied', 'satisfied', 'basic', 'dissatisfied', 'veryDissatisfied'] as const
export const RatingLevel = z.enum(RATING_LEVELS)
export type RatingLevel = z.infer<typeof RatingLevel>

const Count = z.number().int().nonnegative().max(1_000_000)
const Minutes = z.number().finite().nonnegative().max(24 * 60)

/** Ratings given today, per level. */
export const RatingCounts = z.strictObject({
  verySatisfied: Count,
  satisfied: Count,
  basic: Count,
  dissatisfied: Count,
  veryDissatisfied: Count,
})
export type RatingCounts = z.infer<typeof RatingCounts>

/** One service hall's queue system at one moment: the hall feed record. Day counters reset at local midnight. */
export const HallObservation = z.strictObject({
  hallId: EntityId,
  observedAt: Instant,
  /** Tickets issued and not yet called (等候人数). */
  waiting: Count,
  /** Windows staffed now (开放窗口). */
  windowsOpen: Count,
  /** Open windows serving someone now. */
  windowsBusy: Count,
  /** Tickets issued today (取号量), appointments included. */
  ticketsToday: Count,
  /** Tickets finished today. */
  servedToday: Count,
  /** Mean ticket-to-call time of today's called tickets (平均等候时长). */
  avgWaitMin: Minutes,
  /** Longest wait of anyone waiting now, or of today's called tickets if none waits. */
  maxWaitMin: Minutes,
  /** Mean call-to-finish time today (平均办理时长). */
  avgServiceMin: Minutes.optional(),
  ratingsToday: RatingCounts,
}).refine(o => o.windowsBusy <= o.windowsOpen, { message: 'more busy windows than open ones', path: ['windowsBusy'] })
export type HallObservation = z.infer<typeof HallObservation>

/** Queue metrics derived from one observation (shared/halls/metrics.ts). */
export const HallMetrics = z.object({
  /** 等候人数 / 开放窗口; null when no window is open. */
  waitingPerWindow: z.number().nonnegative().nullable(),
  /** Busy windows / open windows, 0–1; null when none is open. */
  utilization: z.number().min(0).max(1).nullable(),
  ratingsTotal: z.number().int().nonnegative(),
  /** 好评率: share of ratings that are not 差评, 0–1; null before the first rating. */
  goodRate: z.number().min(0).max(1).nullable(),
  badRatings: z.number().int().nonnegative(),
  /** warn / critical per the configurable queue thresholds (domain.md §4.3); null when fine. */
  pressure: z.enum(['warn', 'critical']).nullable(),
})
export type HallMetrics = z.infer<typeof HallMetrics>

export const HallReading = HallObservation.safeExtend({ metrics: HallMetrics })
export type HallReading = z.infer<typeof HallReading>

/** All halls together. */
export const HallsSummary = z.object({
  observedAt: Instant,
  waiting: z.number().int().nonnegative(),
  windowsOpen: z.number().int().nonnegative(),
  windowsBusy: z.number().int().nonnegative(),
  waitingPerWindow: z.number().nonnegative().nullable(),
  /** Mean of the halls' average waits, weighted by tickets served today. */
  avgWaitMin: z.number().nonnegative(),
  maxWaitMin: z.number().nonnegative(),
  ticketsToday: z.number().int().nonnegative(),
  servedToday: z.number().int().nonnegative(),
  ratingsToday: RatingCounts,
  goodRate: z.number().min(0).max(1).nullable(),
  hallsOpen: z.number().int().nonnegative(),
  hallsReporting: z.number().int().nonnegative(),
  hallsTotal: z.number().int().nonnegative(),
})
export type HallsSummary = z.infer<typeof HallsSummary>
