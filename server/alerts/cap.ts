import type { AlertRuleKind } from '@shared/schemas/alert-rules'
import type { Alert, AlertDomain, AlertSeverity } from '@shared/schemas/alerts'
import type { CityModel } from '@shared/schemas/city'
import { distanceKm } from '@server/city/geometry'

/**
 * An alert as an OASIS Common Alerting Protocol 1.2 message, for SMS and
 * messaging gateways and for systems that take CAP (GET /api/alerts/:id/cap
 * and the outgoing webhook).
 *
 * Decisions, where the standard leaves a choice:
 * - scope is Restricted, never Public: these are operational alerts of the
 *   operations center (a sensor over a threshold, a queue, a complaint
 *   cluster) with internal details (who acknowledged, work orders). In China
 *   public warnings are issued by the governments and their authorised
 *   agencies through the national warning release system; a gateway must not
 *   be able to pass ours on as one.
 * - one alert, three messages: Alert when it fires; Update when it is
 *   acknowledged or escalated; Cancel when it resolves. Updates and the
 *   Cancel name the first message in <references>, and each has its own
 *   identifier, since CAP identifiers are unique per sender.
 * - every field derives from the alert alone, so every node of a cluster
 *   renders the same document for the same alert state.
 */

export const CAP_NAMESPACE = 'urn:oasis:names:tc:emergency:cap:1.2'
export const CAP_CONTENT_TYPE = 'application/cap+xml'

export type CapMsgType = 'Alert' | 'Update' | 'Cancel'

/** A town as a CAP area: its centre (WGS-84) and a radius that roughly covers it. */
export interface CapTown {
  name: string
  lat: number
  lng: number
  radiusKm: number
}

export interface CapContext {
  /** `ioc@<city id>`: CAP forbids spaces, commas, `<` and `&` in it. */
  sender: string
  /** 东莞市城市运行管理中心 */
  senderName: string
  /** The area of an alert without a (known) town. */
  city: { name: string, code: string }
  towns: ReadonlyMap<string, CapTown>
  /** The <event>; the rule id when the rule is gone. */
  ruleName?: string
  /** Statistical kinds make the certainty Likely instead of Observed. */
  ruleKind?: AlertRuleKind
  /** A link to the alert on the console, when the caller knows the public URL. */
  web?: string
}

const RESTRICTION = '仅供城市运行管理中心及联动处置部门内部使用，不得作为公众预警发布或转发'

/**
 * CAP 1.2 §3.2.2 categories by our domains. Air is an environmental and a
 * health matter; 12345 alerts (complaint clusters, intake surges) are early
 * signs of public-safety trouble; a silent feed is the telemetry
 * infrastructure; service-hall queues and cross-department correlations fit
 * no category of the list.
 */
const CATEGORIES: Record<AlertDomain, readonly string[]> = {
  air: ['Env', 'Health'],
  traffic: ['Transport'],
  halls: ['Other'],
  hotline: ['Safety'],
  feeds: ['Infra'],
  cross: ['Other'],
}

const CAP_SEVERITY: Record<AlertSeverity, string> = { critical: 'Extreme', major: 'Severe', warning: 'Moderate', info: 'Minor' }
const URGENCY: Record<AlertSeverity, string> = { critical: 'Immediate', major: 'Expected', warning: 'Expected', info: 'Future' }
/** Kinds that infer rather than measure: a baseline, a cluster, a correlation. */
const INFERRED_KINDS: ReadonlySet<AlertRuleKind> = new Set(['anomaly', 'cluster', 'correlation'])

/** China Standard Time, which has had no daylight saving since 1991. */
const CST_OFFSET_MS = 8 * 3_600_000

/** A CAP dateTime in China Standard Time: `2026-11-23T10:00:00+08:00` (CAP forbids fractions of a second and "Z"). */
export function capDateTime(instant: string): string {
  const ms = Date.parse(instant)
  if (!Number.isFinite(ms))
    throw new RangeError(`not a date-time: ${instant}`)
  const seconds = Math.floor(ms / 1000) * 1000
  return `${new Date(seconds + CST_OFFSET_MS).toISOString().slice(0, 19)}+08:00`
}

/**
 * The alert id (`rule|entity|ms`) as a CAP and URL-safe identifier: the parts
 * joined by `~`, and in each part every character but [A-Za-z0-9._-]
 * percent-encoded as UTF-8, so two alert ids never give the same identifier.
 */
export function capIdentifier(alertId: string): string {
  return alertId.split('|').map(part => part.replace(/[^\w.-]/gu, ch =>
    [...Buffer.from(ch, 'utf8')].map(b => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''))).join('~')
}

export function capMsgType(alert: Alert): CapMsgType {
  if (alert.status === 'resolved')
    return 'Cancel'
  return alert.status === 'acknowledged' || alert.escalationLevel > 0 ? 'Update' : 'Alert'
}

/** The CAP 1.2 XML document of the alert in its current state (see the module comment). */
export function alertToCap(alert: Alert, ctx: CapContext): string {
  const msgType = capMsgType(alert)
  const first = capIdentifier(alert.id)
  const raised = capDateTime(alert.raisedAt)
  const sentAt = msgType === 'Alert' ? alert.raisedAt : msgType === 'Cancel' ? alert.resolvedAt ?? alert.updatedAt : alert.updatedAt
  const identifier = msgType === 'Alert' ? first : `${first}.${msgType.toLowerCase()}.${Date.parse(sentAt)}`
  const root = el('alert', [
    el('identifier', identifier),
    el('sender', ctx.sender),
    el('sent', capDateTime(sentAt)),
    el('status', 'Actual'),
    el('msgType', msgType),
    el('scope', 'Restricted'),
    el('restriction', RESTRICTION),
    msgType !== 'Alert' && el('note', changeNote(alert)),
    msgType !== 'Alert' && el('references', `${ctx.sender},${first},${raised}`),
    info(alert, ctx, msgType),
  ], { xmlns: CAP_NAMESPACE })
  return `<?xml version="1.0" encoding="UTF-8"?>\n${render(root, 0)}\n`
}

function info(alert: Alert, ctx: CapContext, msgType: CapMsgType): XmlElement {
  const cancel = msgType === 'Cancel'
  const inferred = alert.domain === 'cross' || (ctx.ruleKind !== undefined && INFERRED_KINDS.has(ctx.ruleKind))
  return el('info', [
    el('language', 'zh-CN'),
    ...CATEGORIES[alert.domain].map(c => el('category', c)),
    el('event', ctx.ruleName ?? alert.ruleId),
    el('responseType', cancel ? 'AllClear' : alert.severity === 'critical' || alert.severity === 'major' ? 'Assess' : 'Monitor'),
    el('urgency', cancel ? 'Past' : URGENCY[alert.severity]),
    el('severity', CAP_SEVERITY[alert.severity]),
    el('certainty', inferred ? 'Likely' : 'Observed'),
    el('senderName', ctx.senderName),
    el('headline', alert.title),
    el('description', description(alert, ctx)),
    ctx.web !== undefined && el('web', ctx.web),
    ...parameters(alert),
    area(alert, ctx),
  ])
}

function area(alert: Alert, ctx: CapContext): XmlElement {
  const town = alert.townCode === null ? undefined : ctx.towns.get(alert.townCode)
  if (!town || alert.townCode === null)
    return el('area', [el('areaDesc', ctx.city.name), ...geocodes(ctx.city.code)])
  return el('area', [
    el('areaDesc', town.name),
    el('circle', `${town.lat},${town.lng} ${town.radiusKm}`),
    ...geocodes(alert.townCode),
  ])
}

/**
 * A 6-digit code is a GB/T 2260 division; a 9-digit town code is the 6-digit
 * division it lies in followed by a town number by GB/T 10114.
 */
function geocodes(code: string): XmlElement[] {
  const division = geocode('GB/T 2260', code.slice(0, 6))
  return code.length > 6 ? [division, geocode('GB/T 10114', code)] : [division]
}

function geocode(valueName: string, value: string): XmlElement {
  return el('geocode', [el('valueName', valueName), el('value', value)])
}

function parameters(alert: Alert): XmlElement[] {
  const pairs: [string, string | number | null][] = [
    ['alertId', alert.id],
    ['ruleId', alert.ruleId],
    ['entityId', alert.entityId],
    ['groupKey', alert.groupKey],
    ['status', alert.status],
    ['value', alert.value],
    ['escalationLevel', alert.escalationLevel],
    ['acknowledgedBy', alert.acknowledgedBy],
    ['workOrderId', alert.workOrderId],
  ]
  return pairs.filter(([, v]) => v !== null).map(([name, v]) => el('parameter', [el('valueName', name), el('value', String(v))]))
}

/** Beijing time as people read it: 2026-11-23 10:00:00. */
function localTime(instant: string): string {
  return capDateTime(instant).slice(0, 19).replace('T', ' ')
}

function description(alert: Alert, ctx: CapContext): string {
  const town = alert.townCode === null ? undefined : ctx.towns.get(alert.townCode)
  const lines = [
    alert.title,
    `规则：${ctx.ruleName ?? alert.ruleId}`,
    `对象：${alert.entityId}`,
    `地点：${town?.name ?? ctx.city.name}`,
    alert.value === null ? null : `当前值：${alert.value}`,
    `触发时间：${localTime(alert.raisedAt)}（北京时间）`,
    changeNote(alert),
  ]
  return lines.filter(l => l !== null && l !== '').join('\n')
}

/** What happened since the alert fired: acknowledged, escalated, turned into a work order, resolved. */
function changeNote(alert: Alert): string {
  const parts: string[] = []
  if (alert.acknowledgedBy !== null && alert.acknowledgedAt !== null)
    parts.push(`已由 ${alert.acknowledgedBy} 于 ${localTime(alert.acknowledgedAt)} 确认`)
  if (alert.escalationLevel > 0)
    parts.push(`超时未确认，已升级（第 ${alert.escalationLevel} 级）`)
  if (alert.workOrderId !== null)
    parts.push(`已转工单 ${alert.workOrderId}`)
  if (alert.status === 'resolved')
    parts.push(`已于 ${localTime(alert.resolvedAt ?? alert.updatedAt)} 解除`)
  return parts.join('；')
}

/** Builds the context of a city; add ruleName, ruleKind and web per alert. */
export function capContext(city: Pick<CityModel, 'id' | 'name' | 'adcode' | 'towns'>): CapContext {
  const towns = new Map<string, CapTown>()
  for (const t of city.towns) {
    // Half the distance to the nearest other town's centre: a circle that stays about inside the town.
    let nearestKm = Infinity
    for (const o of city.towns) {
      if (o !== t)
        nearestKm = Math.min(nearestKm, distanceKm([t.lng, t.lat], [o.lng, o.lat]))
    }
    const radiusKm = Number.isFinite(nearestKm) ? Math.max(1, Math.round(nearestKm * 5) / 10) : 10
    towns.set(t.code, { name: t.name, lat: t.lat, lng: t.lng, radiusKm })
  }
  return { sender: `ioc@${city.id}`, senderName: `${city.name}城市运行管理中心`, city: { name: city.name, code: city.adcode }, towns }
}

// ---- A minimal XML writer: elements with text or children, escaped, indented.

interface XmlElement {
  name: string
  attrs: Readonly<Record<string, string>>
  content: string | readonly XmlElement[]
}

function el(name: string, content: string | readonly (XmlElement | false)[], attrs: Readonly<Record<string, string>> = {}): XmlElement {
  return { name, attrs, content: typeof content === 'string' ? content : content.filter((c): c is XmlElement => c !== false) }
}

/** Characters XML 1.0 does not allow at all (control characters, lone surrogates, U+FFFE/U+FFFF): dropped. */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\'': '&apos;' }

export function escapeXml(text: string): string {
  return text.replace(NOT_XML_CHAR, '').replace(/[&<>"']/g, ch => ESCAPES[ch]!)
}

function render(e: XmlElement, depth: number): string {
  const pad = '  '.repeat(depth)
  const attrs = Object.entries(e.attrs).map(([k, v]) => ` ${k}="${escapeXml(v)}"`).join('')
  if (typeof e.content === 'string')
    return `${pad}<${e.name}${attrs}>${escapeXml(e.content)}</${e.name}>`
  return `${pad}<${e.name}${attrs}>\n${e.content.map(c => render(c, depth + 1)).join('\n')}\n${pad}</${e.name}>`
}
