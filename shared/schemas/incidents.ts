import { z } from 'zod'
import { EntityId, Instant, LngLat, TownCode } from './common'

/** The nature of a 12345 request (domain.md §3.5): 咨询 求助 投诉 举报 建议. */
export const INCIDENT_NATURES = ['consult', 'help', 'complaint', 'report', 'suggestion'] as const
export const IncidentNature = z.enum(INCIDENT_NATURES)
export type IncidentNature = z.infer<typeof IncidentNature>

/** What a request is about; each topic routes to a department (city model). */
export const INCIDENT_TOPICS = [
  'city-management', // 城市管理: 占道经营, 违建, 垃圾
  'environment', // 环境保护: 噪声, 油烟, 废气, 污水
  'transport', // 交通: 信号灯, 违停, 公交
  'housing', // 住建与物业
  'utilities', // 供水、供电、燃气
  'market', // 市场监管: 消费纠纷, 食品安全
  'labour', // 人社: 欠薪, 社保
  'education', // 教育
  'health', // 医疗卫生
  'public-security', // 公安 (non-emergency)
  'emergency', // 应急: 安全隐患
  'local', // 镇街属地: the town government
] as const
export const IncidentTopic = z.enum(INCIDENT_TOPICS)
export type IncidentTopic = z.infer<typeof IncidentTopic>

/** The topics' Chinese names, as the wall and alert titles say them. */
export const INCIDENT_TOPIC_ZH: Readonly<Record<IncidentTopic, string>> = {
  'city-management': '城市管理',
  'environment': '环境保护',
  'transport': '交通出行',
  'housing': '住建物业',
  'utilities': '水电燃气',
  'market': '市场监管',
  'labour': '劳动社保',
  'education': '教育',
  'health': '医疗卫生',
  'public-security': '公安',
  'emergency': '应急安全',
  'local': '镇街事务',
}

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
