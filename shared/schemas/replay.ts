import { z } from 'zod'
import { AirEventData, AirSnapshot, AlertsEventData, HallsEventData, IncidentsEventData, KpisEventData, TrafficEventData } from '../realtime/streams'
import { Instant } from './common'
import { KpiSet } from './kpis'

/**
 * Replay of the wall for after-action reviews (issue 9 part 3): GET
 * /api/replay?from=&to= answers the wall's state at `from` and every change
 * up to `to`, as the same stream events the live wall folds in, so the
 * client plays them through the same reducers (shared/realtime/mirror.ts).
 */

/** The longest window one request may ask for: three hours is an incident's whole arc, and a few MB on the wire. */
export const REPLAY_MAX_SPAN_MS = 3 * 3_600_000
/** Telemetry is replayed from the per-minute history: one frame per minute. */
export const REPLAY_STEP_MS = 60_000
/** The speeds the wall can play at. */
export const REPLAY_SPEEDS = [1, 5, 10, 30, 60] as const
export type ReplaySpeed = (typeof REPLAY_SPEEDS)[number]

export const ReplayQuery = z.object({ from: Instant, to: Instant })
  .refine(q => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] })
  .refine(q => Date.parse(q.to) - Date.parse(q.from) <= REPLAY_MAX_SPAN_MS, { message: 'a replay window is at most 3 hours', path: ['to'] })
export type ReplayQuery = z.infer<typeof ReplayQuery>

/** The streams a replay carries: the wall's own, less feed health (a past link's health is not what a review looks at). */
export const REPLAY_STREAMS = ['air', 'traffic', 'halls', 'incidents', 'alerts', 'kpis'] as const
export type ReplayStream = (typeof REPLAY_STREAMS)[number]

const frame = <S extends ReplayStream, D extends z.ZodType>(stream: S, data: D) =>
  z.object({ at: Instant, stream: z.literal(stream), data })

/** One change at one instant, as the live stream would have sent it. */
export const ReplayFrame = z.discriminatedUnion('stream', [
  frame('air', AirEventData),
  frame('traffic', TrafficEventData),
  frame('halls', HallsEventData),
  frame('incidents', IncidentsEventData),
  frame('alerts', AlertsEventData),
  frame('kpis', KpisEventData),
])
export type ReplayFrame = z.infer<typeof ReplayFrame>

/** The wall at the window's start: each stream's snapshot (kpis null when nothing was known yet). */
export const ReplayStart = z.object({
  air: AirSnapshot,
  traffic: TrafficEventData,
  halls: HallsEventData,
  incidents: IncidentsEventData,
  alerts: AlertsEventData,
  kpis: KpiSet.nullable(),
})
export type ReplayStart = z.infer<typeof ReplayStart>

export const ReplayAnswer = z.object({
  /** The window as replayed: `from` floored and `to` ceiled to whole minutes. */
  from: Instant,
  to: Instant,
  start: ReplayStart,
  /** Ordered by `at`, then by stream in REPLAY_STREAMS order; at most one frame per stream and instant. */
  frames: z.array(ReplayFrame),
})
export type ReplayAnswer = z.infer<typeof ReplayAnswer>
