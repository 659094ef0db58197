import type { IncidentNature, IncidentTopic } from '@shared/schemas/incidents'
import type { RejectReason } from '@shared/schemas/feeds'
import { reason } from '@server/ingest/validate'
import type { Crs, Open311FeedConfig } from '../config'
import { toWgs84 } from '../coordinates'

/**
 * Open311 GeoReport v2 service requests (domain.md §6.3) as 12345 incident
 * reports.
 *
 * ticketNo ← service_request_id (as a string); version ← updated_datetime,
 * else requested_datetime; reportedAt ← requested_datetime; status ← status
 * (lower-cased); title ← service_name, with the start of the description
 * after it; description, address, agency ← description, address,
 * agency_responsible, cut to the schema's lengths (an incident is never lost
 * for a long text); location ← lat/long from the feed's CRS (GeoReport says
 * WGS-84, but a Chinese server may send GCJ-02).
 *
 * Nature and topic: the feed's `services[service_code]` when configured;
 * otherwise the first keyword found in service_name + service_code (the
 * tables below), else nature `help` and topic `local` (the town government
 * sorts out what nobody else owns).
 *
 * Dates are passed on as sent: one without an offset is refused by
 * validation rather than guessed.
 */

const NATURE_KEYWORDS: readonly (readonly [IncidentNature, readonly string[]])[] = [
  ['consult', ['咨询', 'inquiry', 'enquiry', 'question']],
  ['help', ['求助']],
  ['complaint', ['投诉', 'complaint']],
  ['report', ['举报']],
  ['suggestion', ['建议', 'suggestion']],
]

const TOPIC_KEYWORDS: readonly (readonly [IncidentTopic, readonly string[]])[] = [
  ['emergency', ['安全隐患', '应急', '消防']],
  ['environment', ['噪声', '噪音', '油烟', '废气', '污水', '排污', '异味', '环境', 'noise', 'pollution']],
  ['city-management', ['垃圾', '占道', '违建', '违章建筑', '城管', '市容', 'garbage', 'trash', 'graffiti', 'dumping']],
  ['utilities', ['供水', '停水', '水压', '停电', '供电', '燃气', '煤气', 'water', 'power outage', 'gas leak']],
  ['transport', ['信号灯', '红绿灯', '违停', '违章停车', '公交', '交通', 'traffic', 'parking', 'bus', 'pothole']],
  ['housing', ['物业', '住建', '房屋', '业主']],
  ['market', ['消费', '食品安全', '市场监管', '价格', '假冒']],
  ['labour', ['欠薪', '拖欠工资', '社保', '劳动']],
  ['education', ['教育', '学校', '学位']],
  ['health', ['医疗', '医院', '卫生', '疫苗']],
  ['public-security', ['治安', '公安', '诈骗']],
]

const DEFAULT_NATURE: IncidentNature = 'help'
const DEFAULT_TOPIC: IncidentTopic = 'local'
const TITLE_EXCERPT_CHARS = 40
const MAX = { title: 200, description: 4000, address: 200, agency: 100 }

function keyword<T>(table: readonly (readonly [T, readonly string[]])[], text: string): T | undefined {
  const lower = text.toLowerCase()
  return table.find(([, words]) => words.some(w => lower.includes(w)))?.[0]
}

/** Nature and topic of a service, by the feed's table or else by keywords, with the rule documented above. */
export function classifyService(code: string, name: string, services: Open311FeedConfig['services']): { nature: string, topic: string } {
  const configured = Object.hasOwn(services, code) ? services[code] : undefined
  if (configured)
    return configured
  const text = `${name} ${code}`
  return { nature: keyword(NATURE_KEYWORDS, text) ?? DEFAULT_NATURE, topic: keyword(TOPIC_KEYWORDS, text) ?? DEFAULT_TOPIC }
}

function text(value: unknown): string | undefined {
  if (typeof value === 'string')
    return value.trim() || undefined
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined
}

function cut(value: string | undefined, max: number): string | undefined {
  return value !== undefined && value.length > max ? `${value.slice(0, max - 1)}…` : value
}

function coordinate(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() ? Number(value) : value
  return typeof n === 'number' && Number.isFinite(n) ? n : undefined
}

function title(name: string | undefined, description: string | undefined): string | undefined {
  const excerpt = description ? cut(description.replace(/\s+/g, ' '), TITLE_EXCERPT_CHARS) : undefined
  return cut([name, excerpt].filter(Boolean).join(' — ') || undefined, MAX.title)
}

export type MappedRequest = { ok: true, record: Record<string, unknown>, changedAt: number | undefined } | { ok: false, reasons: RejectReason[] }

/** One GeoReport v2 service request as an incident report; `changedAt` (epoch ms) drives the poll cursor. */
export function mapServiceRequest(request: unknown, options: { crs: Crs, services: Open311FeedConfig['services'] }): MappedRequest {
  if (typeof request !== 'object' || request === null || Array.isArray(request))
    return { ok: false, reasons: [reason('(request)', 'invalid_type', 'a service request must be a JSON object')] }
  const r = request as Record<string, unknown>
  const code = text(r.service_code) ?? ''
  const name = text(r.service_name)
  const description = text(r.description)
  const lat = coordinate(r.lat)
  const lng = coordinate(r.long)
  const version = text(r.updated_datetime) ?? text(r.requested_datetime)
  const record: Record<string, unknown> = {
    ticketNo: text(r.service_request_id),
    version,
    reportedAt: text(r.requested_datetime),
    ...classifyService(code, name ?? '', options.services),
    status: typeof r.status === 'string' ? r.status.trim().toLowerCase() : r.status,
    title: title(name, description),
    description: cut(description, MAX.description),
    address: cut(text(r.address), MAX.address),
    agency: cut(text(r.agency_responsible), MAX.agency),
  }
  if (lat !== undefined && lng !== undefined) {
    // Out of range stays as sent, for validation to refuse with the path.
    const inRange = Math.abs(lng) <= 180 && Math.abs(lat) <= 90
    record.location = inRange ? toWgs84(lng, lat, options.crs) : { lng, lat }
  }
  for (const key of Object.keys(record)) {
    if (record[key] === undefined)
      delete record[key]
  }
  const changedAt = version === undefined ? Number.NaN : Date.parse(version)
  return { ok: true, record, changedAt: Number.isFinite(changedAt) ? changedAt : undefined }
}
