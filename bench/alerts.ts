/**
 * Alert engine micro benchmark (npm run bench:alerts): one evaluation step of
 * 200 rules over a full city state (33 towns, 33 stations, 5,000 segments,
 * 36 halls, 500 open incidents, 6 feeds), stepped every 5 simulated seconds
 * while the metrics random-walk. Target: p95 ≤ 20 ms on one core.
 */
import type { AlertRuleInput, AlertRuleSet } from '@shared/schemas/alert-rules'
import { AlertRuleSet as AlertRuleSetSchema } from '@shared/schemas/alert-rules'
import { INCIDENT_TOPICS } from '@shared/schemas/incidents'
import type { BaselineSample } from '@server/alerts/baseline'
import { learnBaseline, seriesKey } from '@server/alerts/baseline'
import { defaultRuleSet } from '@server/alerts/default-rules'
import { AlertEngine } from '@server/alerts/engine'
import type { CityFacts, DeadlineFact, EntityFact, IncidentFact } from '@server/alerts/facts'
import { fmt, percentile, table, timed } from './lib'

const RULES = 200
const TOWNS = 33
const STATIONS = 33
const SEGMENTS = 5000
const HALLS = 36
const INCIDENTS = 500
const FEEDS = 6
const WARMUP_STEPS = 30
const STEPS = 400
const STEP_MS = 5000
const T0 = Date.parse('2026-03-02T08:00:00+08:00')
const MINUTE_MS = 60_000

/** mulberry32: the same figures on every run. */
function rng(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6D2B79F5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}
const random = rng(20260302)
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!
const town = (i: number): string => String(441900003 + i)

function generatedRule(i: number): AlertRuleInput {
  const id = `bench.${i}`
  const common = { id, name: `规则 ${i}`, domain: 'air' as const, severity: pick(['info', 'warning', 'major', 'critical'] as const), forMin: 5 + (i % 4) * 5, clearForMin: 10 }
  switch (i % 11) {
    case 0: return { ...common, kind: 'threshold', entityKind: 'station', metric: 'aqi', op: '>', value: 80 + (i % 7) * 20, clearValue: 70 + (i % 7) * 20 }
    case 1: return { ...common, domain: 'traffic', kind: 'threshold', entityKind: 'segment', metric: 'congestionLevel', op: '>=', value: 4 + (i % 2) }
    case 2: return { ...common, domain: 'halls', kind: 'threshold', entityKind: 'hall', metric: 'avgWaitMin', op: '>=', value: 10 + (i % 5) * 5 }
    case 3: return { ...common, domain: 'traffic', kind: 'threshold', entityKind: 'town', metric: 'tpi', op: '>=', value: 4 + (i % 5) }
    case 4: return { ...common, kind: 'rate', entityKind: 'station', metric: 'aqi', riseBy: 20 + (i % 4) * 10, windowMin: 60 }
    case 5: return { ...common, domain: 'traffic', kind: 'rate', entityKind: 'segment', metric: 'congestionLevel', riseBy: 3, windowMin: 30 }
    case 6: return { ...common, domain: 'traffic', kind: 'anomaly', entityKind: 'town', metric: 'tpi', zAbove: 2 + (i % 3), minSamples: 4, minSpread: 0.5 }
    case 7: return { ...common, domain: 'halls', kind: 'anomaly', entityKind: 'hall', metric: 'avgWaitMin', zAbove: 2 + (i % 3), minSamples: 4, minSpread: 2 }
    case 8: return { ...common, domain: 'feeds', kind: 'absence', entityKind: 'segment', silentMin: 10 + (i % 3) * 10 }
    case 9: return { ...common, domain: 'hotline', kind: 'cluster', topics: [pick(INCIDENT_TOPICS)], minCount: 3 + (i % 3), radiusM: 300 + (i % 4) * 200, windowMin: 30 + (i % 3) * 15 }
    default: return i % 22 === 10
      ? { ...common, domain: 'hotline', kind: 'deadline', mode: 'near', withinMin: 60 * (1 + (i % 4)) }
      : { ...common, kind: 'threshold', entityKind: 'station', metric: 'pm25', op: '>', value: 75 + (i % 5) * 25 }
  }
}

function ruleSet(): AlertRuleSet {
  const defaults = defaultRuleSet().rules
  const extra = Array.from({ length: RULES - defaults.length }, (_, i) => generatedRule(i))
  return AlertRuleSetSchema.parse({ v: 1, revision: 1, rules: [...defaults, ...extra] })
}

interface City {
  towns: EntityFact[]
  stations: EntityFact[]
  segments: EntityFact[]
  halls: EntityFact[]
  feeds: EntityFact[]
  incidents: IncidentFact[]
  deadlines: DeadlineFact[]
  segmentBase: number[]
}

/** A weekday morning: most roads free or basically free, about one in a hundred severely congested. */
function segmentBase(): number {
  const x = random()
  return x < 0.6 ? 1 : x < 0.85 ? 2 : x < 0.95 ? 3 : x < 0.99 ? 4 : 5
}

function buildCity(): City {
  const at = (prefix: string, n: number, metrics: () => EntityFact['metrics']): EntityFact[] =>
    Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, name: `${prefix} ${i}`, townCode: town(i % TOWNS), observedAt: T0, metrics: metrics() }))
  const incidents: IncidentFact[] = Array.from({ length: INCIDENTS }, (_, i) => ({
    id: `inc-${i}`,
    topic: pick(INCIDENT_TOPICS),
    townCode: town(i % TOWNS),
    lng: 113.5 + random() * 0.6,
    lat: 22.7 + random() * 0.4,
    reportedAt: T0 - random() * 120 * MINUTE_MS,
    text: pick(['工厂排放异味', '道路积水', '欠薪', '噪声扰民', '停水']),
  }))
  const segments = at('seg', SEGMENTS, () => ({ speedKmh: 40, congestionLevel: segmentBase() }))
  return {
    segmentBase: segments.map(s => s.metrics.congestionLevel!),
    towns: Array.from({ length: TOWNS }, (_, i) => ({ id: town(i), name: `镇街 ${i}`, townCode: town(i), observedAt: T0, metrics: { aqi: 60, aqiLevel: 2, tpi: 3, congestionLevel: 2, intake1h: 10, openIncidents: 15 } })),
    stations: at('station', STATIONS, () => ({ aqi: 30 + random() * 100, aqiLevel: 2, pm25: 35 })),
    segments,
    halls: at('hall', HALLS, () => ({ waiting: 50, waitingPerWindow: 5, avgWaitMin: 12, maxWaitMin: 30 })),
    feeds: at('feed', FEEDS, () => ({})),
    incidents,
    deadlines: incidents.map((inc, i) => ({ id: inc.id, source: 'incident', townCode: inc.townCode, title: `工单 ${i}`, dueAt: T0 + (random() * 48 - 8) * 3_600_000, open: true })),
  }
}

function baselines(city: City): ReturnType<typeof learnBaseline> {
  const samples: BaselineSample[] = []
  for (let week = 1; week <= 6; week++) {
    for (let h = 0; h < 2; h++) {
      const t = T0 - week * 7 * 24 * 60 * MINUTE_MS + h * 3_600_000
      for (const e of city.towns) {
        samples.push({ key: seriesKey('tpi', e.id), t, value: 3 + random() }, { key: seriesKey('intake1h', e.id), t, value: 10 + random() * 4 })
      }
      for (const e of city.halls)
        samples.push({ key: seriesKey('avgWaitMin', e.id), t, value: 12 + random() * 4 })
    }
  }
  return learnBaseline(samples)
}

/** Moves every metric a little and lets some entities report, as a few seconds of a real city do. */
function drift(city: City, now: number, offGradeShare: number): void {
  const walk = (e: EntityFact, metric: keyof EntityFact['metrics'], step: number, min: number, max: number): void => {
    const v = e.metrics[metric]
    if (v !== undefined)
      (e.metrics as Record<string, number>)[metric] = Math.min(max, Math.max(min, v + (random() - 0.5) * step))
  }
  for (const s of city.stations) {
    walk(s, 'aqi', 6, 0, 400)
    ;(s.metrics as Record<string, number>).aqiLevel = [50, 100, 150, 200, 300].findIndex(b => s.metrics.aqi! <= b) + 1 || 6
    s.observedAt = now
  }
  // A fifth of the segments report each round; a report is one grade off the segment's usual one now and then.
  city.segments.forEach((s, i) => {
    if (random() < 0.2) {
      const base = city.segmentBase[i]!
      ;(s.metrics as Record<string, number>).congestionLevel = Math.min(5, Math.max(1, base + (random() < offGradeShare ? pick([-1, 1]) : 0)))
      s.observedAt = now
    }
  })
  for (const e of city.towns) {
    walk(e, 'tpi', 0.6, 0, 10)
    walk(e, 'intake1h', 2, 0, 60)
  }
  for (const h of city.halls) {
    walk(h, 'avgWaitMin', 2, 0, 90)
    walk(h, 'waitingPerWindow', 1, 0, 40)
    h.observedAt = now
  }
  for (const f of city.feeds)
    f.observedAt = f.id === 'feed-0' ? T0 : now
}

interface Profile {
  name: string
  /** Share of segment reports one grade off the segment's usual grade. */
  offGradeShare: number
}

const PROFILES: Profile[] = [
  { name: 'steady (1 % of segment reports off-grade)', offGradeShare: 0.01 },
  { name: 'storm (10 % off-grade: thousands of alerts pending or firing)', offGradeShare: 0.1 },
]

function run(profile: Profile, rules: AlertRuleSet): { row: string[], p95: number } {
  const city = buildCity()
  const townNames = Object.fromEntries(city.towns.map(t => [t.id, t.name]))
  const facts: CityFacts = {
    entities: { town: city.towns, station: city.stations, segment: city.segments, hall: city.halls, feed: city.feeds, city: [] },
    incidents: city.incidents,
    deadlines: city.deadlines,
    townNames,
    baselines: baselines(city),
  }
  const engine = new AlertEngine({ rules })
  const times: number[] = []
  let transitions = 0
  for (let i = 0; i < WARMUP_STEPS + STEPS; i++) {
    const now = T0 + i * STEP_MS
    drift(city, now, profile.offGradeShare)
    const { result, ms } = timed(() => engine.step(now, facts))
    if (i >= WARMUP_STEPS) {
      times.push(ms)
      transitions += result.length
    }
  }
  const { result: state, ms: serialiseMs } = timed(() => JSON.stringify(engine.state()))
  const p95 = percentile(times, 95)
  return {
    p95,
    row: [
      profile.name,
      fmt(percentile(times, 50), 2),
      fmt(p95, 2),
      fmt(Math.max(...times), 2),
      fmt(transitions / STEPS, 1),
      fmt(engine.active().length),
      `${fmt(Buffer.byteLength(state) / 1024)} KB`,
      fmt(serialiseMs, 1),
    ],
  }
}

function main(): void {
  const rules = ruleSet()
  const kinds = new Map<string, number>()
  for (const r of rules.rules)
    kinds.set(r.kind, (kinds.get(r.kind) ?? 0) + 1)
  console.log(`Alert engine: ${rules.rules.length} rules (${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`)
  console.log(`City: ${TOWNS} towns, ${STATIONS} stations, ${fmt(SEGMENTS)} segments, ${HALLS} halls, ${INCIDENTS} open incidents, ${FEEDS} feeds; ${STEPS} steps of ${STEP_MS / 1000} s after ${WARMUP_STEPS} warm-up steps, one core\n`)
  const results = PROFILES.map(p => run(p, rules))
  console.log(table(['profile', 'p50 ms', 'p95 ms', 'max ms', 'transitions/step', 'active', 'state', 'serialise ms'], results.map(r => r.row)))
  for (const [i, r] of results.entries())
    console.log(`${PROFILES[i]!.name}: p95 ${fmt(r.p95, 2)} ms ${r.p95 <= 20 ? 'within' : 'over'} the 20 ms target`)
}

main()
