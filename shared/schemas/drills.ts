import { z } from 'zod'
import { Instant } from './common'
import { ActiveScenario, ScenarioRequest } from './scenarios'

/**
 * Drills (issue 9, part 4): a scenario (issue 3) run under a name. The 12345
 * calls it causes, their work orders and the alerts its data raises carry the
 * drill's id (`drillId`), show a 「演练」 mark, and are left out of the real
 * measures (dispatch KPIs, the wall's 12345 KPIs, the review). When it ends,
 * an after-action summary is made: how long each step took, and who did it.
 */

export const DrillId = z.string().min(1).max(64)

/** POST /api/drills */
export const DrillRequest = z.strictObject({
  /** 「2026年第4季度沙田异味应急演练」 */
  name: z.string().trim().min(1).max(100),
  scenario: ScenarioRequest,
})
export type DrillRequest = z.infer<typeof DrillRequest>
export type DrillRequestInput = z.input<typeof DrillRequest>

export const DrillStatus = z.enum(['running', 'ended'])
export type DrillStatus = z.infer<typeof DrillStatus>

/** Who ran it: the user's name, as the audit log names them. */
const Username = z.string().min(1).max(64)

export const Drill = z.object({
  id: DrillId,
  name: z.string().min(1).max(100),
  scenario: ActiveScenario,
  status: DrillStatus,
  /** Simulated time, as the scenario's. */
  startedAt: Instant,
  endsAt: Instant,
  endedAt: Instant.nullable(),
  startedBy: Username,
  /** Null while running, or when it ended with its scenario. */
  endedBy: Username.nullable(),
})
export type Drill = z.infer<typeof Drill>

/** Minutes between two moments of a step, summarised; null figures when nothing finished the step. */
export const DurationStats = z.object({
  count: z.number().int().nonnegative(),
  medianMin: z.number().nonnegative().nullable(),
  maxMin: z.number().nonnegative().nullable(),
})
export type DurationStats = z.infer<typeof DurationStats>

/** The work-order steps the summary times, in the order of the cycle. */
export const DRILL_STEPS = ['call_to_dispatch', 'dispatch_to_sign', 'sign_to_reply', 'reply_to_close', 'call_to_close'] as const
export const DrillStep = z.enum(DRILL_STEPS)
export type DrillStep = z.infer<typeof DrillStep>

/**
 * Who did a step: a person's role (the one of their roles that grants the
 * step), the simulated city's officers, or the system (an upstream close).
 */
export const DRILL_ACTOR_ROLES = ['operator', 'duty_officer', 'dept_handler', 'leader', 'admin', 'simulated', 'system'] as const
export const DrillActorRole = z.enum(DRILL_ACTOR_ROLES)
export type DrillActorRole = z.infer<typeof DrillActorRole>

export const DrillAlertTiming = z.object({
  alertId: z.string().min(1).max(300),
  title: z.string(),
  raisedAt: Instant,
  acknowledgedAt: Instant.nullable(),
  acknowledgedBy: z.string().nullable(),
  /** Raised → acknowledged, minutes. */
  ackMin: z.number().nonnegative().nullable(),
})
export type DrillAlertTiming = z.infer<typeof DrillAlertTiming>

export const DrillMoment = z.object({
  at: Instant,
  /** What happened: drill-start, drill-end, first-call, first-alert, first-ack, first-dispatch, first-sign, first-reply, first-close, last-close. */
  kind: z.enum(['drill-start', 'drill-end', 'first-call', 'first-alert', 'first-ack', 'first-dispatch', 'first-sign', 'first-reply', 'first-close', 'last-close']),
  /** The order or alert it was. */
  ref: z.string().nullable(),
})
export type DrillMoment = z.infer<typeof DrillMoment>

/** The after-action summary: made when the drill ends and kept; while it runs, the same "so far". */
export const DrillSummary = z.object({
  drillId: DrillId,
  /** When it was made (simulated time); `final` once the drill had ended. */
  asOf: Instant,
  final: z.boolean(),
  alerts: z.object({
    raised: z.number().int().nonnegative(),
    acknowledged: z.number().int().nonnegative(),
    ack: DurationStats,
    byRole: z.array(z.object({ role: DrillActorRole, ack: DurationStats })),
    items: z.array(DrillAlertTiming),
  }),
  orders: z.object({
    total: z.number().int().nonnegative(),
    open: z.number().int().nonnegative(),
    closed: z.number().int().nonnegative(),
    /** Open and past a deadline at `asOf`. */
    overdue: z.number().int().nonnegative(),
    steps: z.array(z.object({ step: DrillStep, stats: DurationStats })),
    /** Per step and the role that finished it (the dispatch by whom, the sign by whom…). */
    byRole: z.array(z.object({ step: DrillStep, role: DrillActorRole, stats: DurationStats })),
  }),
  timeline: z.array(DrillMoment),
})
export type DrillSummary = z.infer<typeof DrillSummary>

/** GET /api/drills: newest first. */
export const DrillList = z.object({ drills: z.array(Drill) })
export type DrillList = z.infer<typeof DrillList>

/** GET /api/drills/:id, and the answer of POST /api/drills and POST /api/drills/:id/end. */
export const DrillDetail = z.object({ drill: Drill, summary: DrillSummary })
export type DrillDetail = z.infer<typeof DrillDetail>

export const DrillApiError = z.object({ error: z.string() })
