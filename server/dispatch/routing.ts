import type { CityModel } from '@shared/schemas/city'
import type { Incident } from '@shared/schemas/incidents'
import { INCIDENT_TOPIC_ZH } from '@shared/schemas/incidents'
import type { RoutingSuggestion, WorkOrderPriority } from '@shared/schemas/work-orders'

/**
 * Where a new order should go, and how urgent it is: the city's routing
 * table by topic and town (镇街属地 to the town's government), refined by
 * what the call says, with the reasons in words the duty officer checks
 * before confirming or overriding.
 */

/** Matters whose words send them past the topic's usual department (see server/city/departments.ts). */
const KEYWORD_ROUTES: readonly { words: RegExp, departmentKey: string, why: string }[] = [
  { words: /信号灯|红绿灯|违停|违章停车|乱停/, departmentKey: 'traffic-police', why: '信号灯、违停类事项由交警承办' },
]

/** Words that make a call urgent whatever its category: danger to people now. */
const URGENT_WORDS = /火情|起火|着火|燃气泄漏|煤气泄漏|漏电|坍塌|塌方|倒塌|爆管|水管爆裂|井盖缺失|被困|内涝|积水严重/

const departmentName = (city: Pick<CityModel, 'departments'>, id: string): string => city.departments.find(d => d.id === id)?.name ?? id

export function suggestRouting(incident: Incident, city: Pick<CityModel, 'departments' | 'routing' | 'towns'>): RoutingSuggestion {
  const reasons: string[] = []
  const text = `${incident.title} ${incident.description}`
  let departmentId = incident.handling?.departmentId ?? incident.departmentId
  const routed = city.routing[incident.topic]
  const town = city.towns.find(t => t.code === incident.townCode)
  reasons.push(routed === 'town'
    ? `类别「${INCIDENT_TOPIC_ZH[incident.topic]}」属镇街属地事项 → ${town ? `${town.name}` : '所在镇街'}`
    : `类别「${INCIDENT_TOPIC_ZH[incident.topic]}」→ ${departmentName(city, departmentId)}`)
  for (const rule of KEYWORD_ROUTES) {
    const target = city.departments.find(d => d.id.endsWith(`-${rule.departmentKey}`) || d.id === rule.departmentKey)
    if (target && rule.words.test(text) && target.id !== departmentId) {
      departmentId = target.id
      reasons.push(`${rule.why} → ${target.name}`)
    }
  }
  if (town)
    reasons.push(`位置：${town.name}`)
  else
    reasons.push('位置不明：请核实属地')
  let priority: WorkOrderPriority = incident.urgency
  if (incident.urgency === 'urgent')
    reasons.push('来电标记为紧急')
  const danger = URGENT_WORDS.exec(text)
  if (danger) {
    priority = 'urgent'
    if (incident.urgency !== 'urgent')
      reasons.push(`内容涉及「${danger[0]}」，建议按紧急件办理`)
  }
  return { departmentId, priority, reasons }
}

/** Metres between two WGS-84 points (haversine): similar orders within a kilometre. */
export function metresBetween(a: { lng: number, lat: number }, b: { lng: number, lat: number }): number {
  const rad = Math.PI / 180
  const dLat = (b.lat - a.lat) * rad
  const dLng = (b.lng - a.lng) * rad
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h))
}

/** Similar orders within this distance; without locations, those of the same town. */
export const SIMILAR_WITHIN_M = 1000

/** Open orders of the same topic near this one, nearest first: a duplicate to merge, or a pattern worth one dispatch. */
export function nearest(incident: Incident, candidates: readonly Incident[], limit: number): Array<Incident & { distanceM: number | null }> {
  const here = incident.location
  const withDistance = candidates.map(c => ({ ...c, distanceM: here && c.location ? Math.round(metresBetween(here, c.location)) : null }))
  return withDistance
    .filter(c => c.distanceM === null ? c.townCode === incident.townCode : c.distanceM <= SIMILAR_WITHIN_M)
    .sort((a, b) => (a.distanceM ?? SIMILAR_WITHIN_M + 1) - (b.distanceM ?? SIMILAR_WITHIN_M + 1))
    .slice(0, limit)
}
