import { aqiLevel } from '@shared/air/levels'
import type { AlertDryRunAlert, AlertDryRunResult, AlertRule, AlertRuleSet, MetricName } from '@shared/schemas/alert-rules'
import type { CityModel } from '@shared/schemas/city'
import { CONGESTION_GRADES } from '@shared/schemas/traffic'
import { gradeForRatio, gradeForTpi, speedRatio } from '@shared/traffic/congestion'
import type { RollupKind, RollupResolution, Store } from '@server/store/repositories'
import { learnCityBaselines } from './baseline-learner'
import { AlertEngine } from './engine'
import type { CityFacts, EntityFact, IncidentFact } from './facts'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
/** The rules' longest look back (rate windows, clusters, correlations): history from this long before the range is read too. */
const LEAD_MS = 2 * HOUR_MS
const MAX_ALERTS = 500

/** What the history keeps of each metric the rules read; absent: not replayable. */
const REPLAYABLE: Partial<Record<MetricName, string>> = {
  aqi: 'AQI', aqiLevel: 'AQI 级别', tpi: '交通指数', speedKmh: '车速', congestionLevel: '拥堵等级', waiting: '等候人数', avgWaitMin: '平均等候', intake1h: '诉求量',
}

/** One metric of every entity of a kind, as buckets in time order, read at any instant. */
class SeriesIndex {
  private readonly byEntity = new Map<string, { t: number[], v: number[] }>()

  constructor(rows: readonly { entityId: string, start: string, mean: number }[], private readonly widthMs: number, private readonly staleMs: number) {
    for (const r of rows) {
      let s = this.byEntity.get(r.entityId)
      if (!s)
        this.byEntity.set(r.entityId, s = { t: [], v: [] })
      s.t.push(Date.parse(r.start))
      s.v.push(r.mean)
    }
  }

  entities(): IterableIterator<string> {
    return this.byEntity.keys()
  }

  /** The newest bucket that had ended by `t`, with its start; undefined when there is none fresh enough. */
  at(entityId: string, t: number): { v: number, start: number } | undefined {
    const s = this.byEntity.get(entityId)
    if (!s)
      return undefined
    let lo = 0
    let hi = s.t.length - 1
    let found = -1
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      if (s.t[mid]! + this.widthMs <= t) {
        found = mid
        lo = mid + 1
      }
      else {
        hi = mid - 1
      }
    }
    if (found < 0 || t - s.t[found]! > this.staleMs)
      return undefined
    return { v: s.v[found]!, start: s.t[found]! }
  }
}

function whyNot(rule: AlertRule): string | null {
  if (rule.kind === 'deadline')
    return '历史中没有工单在过去各时刻的办结状态，时限规则无法回放'
  if (rule.kind === 'correlation' || rule.kind === 'cluster')
    return null
  if (rule.entityKind === 'feed')
    return '数据源的接入记录不入历史，断报规则无法回放'
  if (rule.kind === 'absence')
    return rule.entityKind === 'town' ? '镇街没有自身的上报时间' : null
  if (!REPLAYABLE[rule.metric] || (rule.metric === 'aqi' && rule.entityKind === 'segment'))
    return `历史中没有指标 ${rule.metric} 的记录`
  return null
}

export interface DryRunInput {
  store: Store
  city: CityModel
  rules: AlertRuleSet
  /** The server's now (simulated time), epoch ms. */
  now: number
  hours: number
  stepMin: number
}

/**
 * Replays the recorded history through a fresh engine with the given rules:
 * what they would have raised, and when those alerts would have cleared. No
 * alert is stored or sent. Stations, towns' TPI and halls replay minute by
 * minute, road segments by their hourly means.
 */
export async function dryRun(input: DryRunInput): Promise<AlertDryRunResult> {
  const { store, city, now } = input
  const to = now
  const from = now - input.hours * HOUR_MS
  const readFrom = new Date(from - LEAD_MS).toISOString()
  const readTo = new Date(to + MINUTE_MS).toISOString()
  const notReplayed = input.rules.rules.flatMap((r) => {
    const reason = whyNot(r)
    return reason ? [{ ruleId: r.id, reason }] : []
  })
  const skip = new Set(notReplayed.map(n => n.ruleId))
  const rules: AlertRuleSet = { ...input.rules, rules: input.rules.rules.filter(r => !skip.has(r.id)) }
  const wants = (kind: string) => rules.rules.some(r => 'entityKind' in r && r.entityKind === kind)

  const series = async (resolution: RollupResolution, kind: RollupKind, metric: string): Promise<SeriesIndex> => {
    const width = resolution === 'minute' ? MINUTE_MS : HOUR_MS
    return new SeriesIndex(await store.history.queryAll({ resolution, kind, metric, from: readFrom, to: readTo }), width, resolution === 'minute' ? 15 * MINUTE_MS : 2 * HOUR_MS)
  }
  const stationAqi = await series('minute', 'air', 'aqi')
  const tpi = await series('minute', 'traffic', 'tpi')
  const speeds = wants('segment') ? await series('hour', 'traffic', 'speedKmh') : undefined
  const hallWaiting = wants('hall') ? await series('minute', 'hall', 'waiting') : undefined
  const hallWait = wants('hall') ? await series('minute', 'hall', 'avgWaitMin') : undefined
  const cityAqi = (await store.air.cityTrend(readFrom)).map(p => ({ t: Date.parse(p.t), aqi: p.aqi }))
  const incidents: IncidentFact[] = (await store.incidents.current({ closedSince: readFrom, limit: 50_000 }))
    .map(i => ({ id: i.id, topic: i.topic, townCode: i.townCode, ...(i.location ? { lng: i.location.lng, lat: i.location.lat } : {}), reportedAt: Date.parse(i.reportedAt), text: `${i.title} ${i.description}` }))
    .filter(i => i.reportedAt >= from - 24 * HOUR_MS && i.reportedAt <= to)
    .sort((a, b) => a.reportedAt - b.reportedAt)
  const baselines = rules.rules.some(r => r.kind === 'anomaly') ? await learnCityBaselines(store, city, from) : undefined
  const townNames = Object.fromEntries(city.towns.map(t => [t.code, t.name]))

  const factsAt = (t: number): CityFacts => {
    const stations: EntityFact[] = []
    const townAqi = new Map<string, number[]>()
    for (const s of city.airStations) {
      const b = stationAqi.at(s.id, t)
      if (!b)
        continue
      const aqi = Math.round(b.v)
      stations.push({ id: s.id, name: s.name, townCode: s.townCode, observedAt: b.start, metrics: { aqi, aqiLevel: aqiLevel(aqi).level } })
      townAqi.set(s.townCode, [...townAqi.get(s.townCode) ?? [], aqi])
    }
    const intake = new Map<string, number>()
    const seen: IncidentFact[] = []
    for (const i of incidents) {
      if (i.reportedAt > t)
        break
      seen.push(i)
      if (i.townCode !== null && i.reportedAt > t - HOUR_MS)
        intake.set(i.townCode, (intake.get(i.townCode) ?? 0) + 1)
    }
    const towns: EntityFact[] = city.towns.map((town) => {
      const aqis = townAqi.get(town.code)
      const aqi = aqis ? Math.round(aqis.reduce((a, b) => a + b, 0) / aqis.length) : undefined
      const tt = tpi.at(town.code, t)?.v
      return {
        id: town.code,
        name: town.name,
        townCode: town.code,
        observedAt: null,
        metrics: {
          ...(aqi !== undefined ? { aqi, aqiLevel: aqiLevel(aqi).level } : {}),
          ...(tt !== undefined ? { tpi: tt, congestionLevel: CONGESTION_GRADES.indexOf(gradeForTpi(tt)) + 1 } : {}),
          intake1h: intake.get(town.code) ?? 0,
        },
      }
    })
    const point = cityAqi.findLast(p => p.t <= t && p.t > t - 15 * MINUTE_MS)
    const cityTpi = tpi.at('city', t)?.v
    const segments: EntityFact[] = speeds
      ? city.roads.flatMap((road) => {
          const b = speeds.at(road.id, t)
          return b ? [{ id: road.id, name: road.name, townCode: road.townCode, observedAt: b.start, metrics: { speedKmh: b.v, congestionLevel: CONGESTION_GRADES.indexOf(gradeForRatio(speedRatio(b.v, road.freeFlowKmh))) + 1 } }] : []
        })
      : []
    const halls: EntityFact[] = hallWaiting && hallWait
      ? city.halls.flatMap((hall) => {
          const waiting = hallWaiting.at(hall.id, t)
          const wait = hallWait.at(hall.id, t)
          return waiting && wait ? [{ id: hall.id, name: hall.name, townCode: hall.townCode, observedAt: Math.max(waiting.start, wait.start), metrics: { waiting: waiting.v, avgWaitMin: wait.v } }] : []
        })
      : []
    return {
      entities: {
        city: [{ id: city.id, name: '全市', townCode: null, observedAt: null, metrics: { ...(point ? { aqi: point.aqi, aqiLevel: aqiLevel(point.aqi).level } : {}), ...(cityTpi !== undefined ? { tpi: cityTpi } : {}) } }],
        town: towns,
        station: stations,
        segment: segments,
        hall: halls,
      },
      incidents: seen.filter(i => i.reportedAt > t - 24 * HOUR_MS),
      deadlines: [],
      townNames,
      ...(baselines ? { baselines } : {}),
    }
  }

  const engine = new AlertEngine({ rules })
  const raised = new Map<string, AlertDryRunAlert>()
  const stepMs = input.stepMin * MINUTE_MS
  let steps = 0
  // The lead-in primes rate windows and pending durations; only alerts raised in the range are reported.
  for (let t = from - LEAD_MS; t <= to; t += stepMs) {
    const facts = factsAt(t)
    if (t >= from && (facts.entities.station?.length || facts.entities.segment?.length || facts.entities.hall?.length || facts.incidents.length))
      steps++
    for (const tr of engine.step(t, facts)) {
      if (tr.alertId === null || t < from)
        continue
      if (tr.type === 'raised')
        raised.set(tr.alertId, { ruleId: tr.ruleId, entityId: tr.entityId, townCode: tr.townCode, severity: tr.severity, title: tr.title, raisedAt: new Date(tr.at).toISOString(), resolvedAt: null })
      else if (tr.type === 'resolved' && raised.has(tr.alertId))
        raised.get(tr.alertId)!.resolvedAt = new Date(tr.at).toISOString()
    }
  }
  const all = [...raised.values()]
  const byRule = rules.rules.map(r => ({ ruleId: r.id, raised: all.filter(a => a.ruleId === r.id).length, entities: new Set(all.filter(a => a.ruleId === r.id).map(a => a.entityId)).size }))
  return {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    stepMin: input.stepMin,
    steps,
    byRule,
    alerts: all.sort((a, b) => (a.raisedAt < b.raisedAt ? 1 : -1)).slice(0, MAX_ALERTS),
    notReplayed,
    notes: [
      '路段按小时平均车速回放（实时按每条记录）',
      '镇街 AQI 按其站点 AQI 的平均值近似（实时按站点浓度均值计算）',
      '回放不计静音与维护窗口，也不发送通知',
    ],
  }
}
