import type { RuleOfKind } from '@shared/schemas/alert-rules'
import type { Condition, EvalContext } from './evaluate'
import type { IncidentFact } from './facts'
import { INCIDENT_TOPIC_ZH } from '@shared/schemas/incidents'

const MINUTE_MS = 60_000
const EARTH_RADIUS_M = 6_371_000
const RAD = Math.PI / 180

/** Equirectangular distance: exact enough within a city, and cheap. */
export function distanceM(a: { lng: number, lat: number }, b: { lng: number, lat: number }): number {
  const x = (b.lng - a.lng) * RAD * Math.cos(((a.lat + b.lat) / 2) * RAD)
  const y = (b.lat - a.lat) * RAD
  return Math.sqrt(x * x + y * y) * EARTH_RADIUS_M
}

interface Located extends IncidentFact { lng: number, lat: number }

function matches(rule: RuleOfKind<'cluster'>, i: IncidentFact, from: number, now: number): i is Located {
  if (i.lng === undefined || i.lat === undefined || i.reportedAt < from || i.reportedAt > now)
    return false
  if (rule.topics && !rule.topics.includes(i.topic))
    return false
  return !rule.keywords || rule.keywords.some(k => i.text.includes(k))
}

/**
 * Greedy clustering of one topic's incidents: the incident with the most
 * neighbours within the radius seeds a cluster of those neighbours, which are
 * then taken out; repeated while a seed still has enough neighbours.
 */
function clustersOf(items: Located[], radiusM: number, minCount: number): Located[][] {
  const clusters: Located[][] = []
  let left = items
  while (left.length >= minCount) {
    let best: Located[] = []
    for (const seed of left) {
      const near = left.filter(o => distanceM(seed, o) <= radiusM)
      if (near.length > best.length)
        best = near
    }
    if (best.length < minCount)
      break
    clusters.push(best)
    const taken = new Set(best)
    left = left.filter(o => !taken.has(o))
  }
  return clusters
}

function majorityTown(items: readonly Located[]): string | null {
  const counts = new Map<string, number>()
  for (const i of items) {
    if (i.townCode !== null)
      counts.set(i.townCode, (counts.get(i.townCode) ?? 0) + 1)
  }
  let best: string | null = null
  let bestCount = 0
  for (const [town, n] of counts) {
    if (n > bestCount || (n === bestCount && best !== null && town < best)) {
      best = town
      bestCount = n
    }
  }
  return best
}

/** ≥ N similar incidents (same topic) within R metres and T minutes: one alert per topic and town. */
export function evaluateCluster(rule: RuleOfKind<'cluster'>, ctx: EvalContext): Condition[] {
  const from = ctx.now - rule.windowMin * MINUTE_MS
  const byTopic = new Map<string, Located[]>()
  for (const i of ctx.facts.incidents) {
    if (!matches(rule, i, from, ctx.now))
      continue
    const list = byTopic.get(i.topic)
    if (list)
      list.push(i)
    else
      byTopic.set(i.topic, [i])
  }
  const out: Condition[] = []
  const seen = new Set<string>()
  for (const [topic, items] of byTopic) {
    for (const members of clustersOf(items, rule.radiusM, rule.minCount)) {
      const townCode = majorityTown(members)
      const entityId = `${topic}@${townCode ?? 'unknown'}`
      if (seen.has(entityId))
        continue
      seen.add(entityId)
      const place = townCode === null ? '未定位区域' : ctx.facts.townNames[townCode] ?? townCode
      const label = rule.keywords ? rule.name : `${INCIDENT_TOPIC_ZH[members[0]!.topic]}类诉求`
      out.push({
        entityId,
        townCode,
        holds: true,
        sustains: true,
        value: members.length,
        title: `${place} ${rule.windowMin} 分钟内 ${members.length} 件${label}（${rule.radiusM} 米范围内）`,
      })
    }
  }
  return out
}
