import { z } from 'zod'
import { EntityId, Instant, LngLat, TownCode } from './common'
import { IncidentNature, IncidentTopic } from './incident-kinds'
import { WorkOrder } from './work-orders'

export { INCIDENT_NATURES, INCIDENT_TOPIC_ZH, INCIDENT_TOPICS, IncidentNature, IncidentTopic } from './incident-kinds'

export const IncidentUrgency = z.enum(['normal', 'urgent'])
export type IncidentUrgency = z.infer<typeof IncidentUrgency>

/** Upstream status in the Open311 sense: a request is open until the upstream system closes it. */
export const UpstreamStatus = z.enum(['open', 'closed'])

/**
 * One 12345 work order as an upstream system reports it: the incident feed
 * record. The same ticket may arrive again with a newer `version`.
 */
export const IncidentReport = z.strictObject({
  ticketNo: EntityId,
  /** Upstream last-modified time: a report with an older version never replaces a newer one. */
  version: Instant,
  /** When the citizen's request was received (受理时间); the deadline counts from here. */
  reportedAt: Instant,
  nature: IncidentNature,
  topic: IncidentTopic,
  urgency: IncidentUrgency.default('normal'),
  status: UpstreamStatus.default('open'),
  title: z.string().trim().min(1).max(200),
  description: z.string().max(4000).default(''),
  address: z.string().max(200).optional(),
  /** WGS-84; adapters convert GCJ-02 or BD-09 at the edge. */
  location: LngLat.optional(),
  townCode: TownCode.optional(),
  /** The handling unit upstream suggests (承办单位), free text. */
  agency: z.string().max(100).optional(),
  /** The alert a duty officer made this order of (orders the center makes itself, source `ioc`). */
  alertId: z.string().min(1).max(300).optional(),
  /**
   * The drill whose scenario caused this call (issue 9): kept only from the
   * built-in simulator and the center's own orders (incident.derive.ts), so
   * that no outside feed can take its orders out of the real measures.
   */
  drillId: z.string().min(1).max(64).optional(),
})
export type IncidentReport = z.infer<typeof IncidentReport>
export type IncidentReportInput = z.input<typeof IncidentReport>

/** An incident as the system holds it: the latest report plus what the system derived. */
export const Incident = IncidentReport.extend({
  /** `${source}:${ticketNo}`: unique across feeds. */
  id: z.string().min(1).max(200),
  source: z.string().min(1).max(64),
  /** The town it is in: given, or the nearest town centre to its location; null when neither is known. */
  townCode: TownCode.nullable(),
  /** The department the routing table gives for its topic (a town's government for local matters). */
  departmentId: z.string().min(1),
  /** Handling deadline: the working-day limit of its nature (Guangdong: 2/10/15). */
  dueAt: Instant,
  /** Server time the first version arrived. */
  receivedAt: Instant,
  /** Server time the latest version arrived. */
  updatedAt: Instant,
  /**
   * Its work order, where the center handles it (issue 8). Then `status` is
   * closed once the order is, `departmentId` is the order's lead department
   * and `dueAt` its handling deadline.
   */
  handling: WorkOrder.optional(),
})
export type Incident = z.infer<typeof Incident>

/** Counts over the incidents the server holds. */
export const IncidentsSummary = z.object({
  open: z.number().int().nonnegative(),
  overdue: z.number().int().nonnegative(),
  /** Reported since the last local midnight (Asia/Shanghai) of the server's clock. */
  intakeToday: z.number().int().nonnegative(),
  byNature: z.partialRecord(IncidentNature, z.number().int().nonnegative()),
  byTopic: z.partialRecord(IncidentTopic, z.number().int().nonnegative()),
  /** Open incidents per town code ('' for unknown). */
  byTown: z.record(z.string(), z.number().int().nonnegative()),
})
export type IncidentsSummary = z.infer<typeof IncidentsSummary>

/** The longest span GET /api/incidents/intake answers: a week and a day (the wall asks for two city days). */
export const INTAKE_MAX_SPAN_MS = 8 * 24 * 3_600_000

/** GET /api/incidents/intake: orders by the hour they were reported, over [from, to). */
export const IncidentIntakeQuery = z.object({ from: Instant, to: Instant })
  .refine(q => Date.parse(q.from) < Date.parse(q.to), { message: 'from must be before to', path: ['to'] })
  .refine(q => Date.parse(q.to) - Date.parse(q.from) <= INTAKE_MAX_SPAN_MS, { message: 'at most 8 days', path: ['to'] })
export type IncidentIntakeQuery = z.infer<typeof IncidentIntakeQuery>

/** Each whole UTC hour (which is a whole hour of China's clock too) with at least one order reported in it; hours absent had none. */
export const IncidentIntake = z.object({
  from: Instant,
  to: Instant,
  hours: z.array(z.object({ t: Instant, count: z.number().int().positive() })),
})
export type IncidentIntake = z.infer<typeof IncidentIntake>
