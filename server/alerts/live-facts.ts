import type { AirIndicators } from '@shared/schemas/air'
import { computeAqi } from '@shared/air/aqi'
import { meanIndicators } from '@shared/air/city'
import type { CityModel } from '@shared/schemas/city'
import type { FeedHealth } from '@shared/schemas/feeds'
import type { Incident } from '@shared/schemas/incidents'
import { CONGESTION_GRADES } from '@shared/schemas/traffic'
import type { CongestionGrade } from '@shared/schemas/traffic'
import { gradeForTpi } from '@shared/traffic/congestion'
import type { LiveStates } from '@server/publisher'
import type { BaselineSet } from './baseline'
import type { CityFacts, DeadlineFact, EntityFact, IncidentFact } from './facts'
import { runningDeadline } from '@shared/dispatch/sla'

const HOUR_MS = 3_600_000
/** Incidents reported this long ago still count for clusters (the longest window a rule may sensibly use). */
const INCIDENT_LOOKBACK_MS = 24 * HOUR_MS
/** The live incidents projected, at most. */
const MAX_INCIDENTS = 50_000

/** GB/T 33171 grades as the rules' 1–5 congestion level (1 畅通 … 5 严重拥堵). */
const level = (grade: CongestionGrade): number => CONGESTION_GRADES.indexOf(grade) + 1

export interface LiveFactsInput {
  city: CityModel
  states: LiveStates
  feeds: readonly FeedHealth[]
  /** The engine's now (simulated time), epoch ms. */
  now: number
  /** Real time, epoch ms: feed health counts in it. */
  realNow: number
  /** Simulated seconds per real second: a feed's real silence, in the simulated time the rules count in. */
  simSpeed: number
  baselines?: BaselineSet
}

/**
 * Projects the live states into the evaluator's facts (server/alerts/facts.ts):
 * the city, towns, stations, segments, halls and feeds with their metrics, the
 * recent incidents for clusters, and the open orders' deadlines.
 */
export function liveFacts(input: LiveFactsInput): CityFacts {
  const { city, states, now } = input
  const townNames = Object.fromEntries(city.towns.map(t => [t.code, t.name]))
  const incidents = states.incidents.list(MAX_INCIDENTS)

  // Air: each station, each town from the mean of its stations' concentrations (as the city's is), the city.
  const stationById = new Map(city.airStations.map(s => [s.id, s]))
  const townIndicators = new Map<string, AirIndicators[]>()
  const stations: EntityFact[] = []
  for (const r of states.air.readings()) {
    const station = stationById.get(r.stationId)
    if (!station)
      continue
    const metrics: EntityFact['metrics'] = {
      ...(r.aqi.aqi !== null ? { aqi: r.aqi.aqi } : {}),
      ...(r.aqi.level !== null ? { aqiLevel: r.aqi.level } : {}),
      ...(r.indicators.pm25 !== undefined ? { pm25: r.indicators.pm25 } : {}),
    }
    stations.push({ id: station.id, name: station.name, townCode: station.townCode, observedAt: Date.parse(r.observedAt), metrics })
    const list = townIndicators.get(station.townCode) ?? []
    list.push(r.indicators)
    townIndicators.set(station.townCode, list)
  }

  const traffic = states.traffic.snapshot()
  const townTraffic = new Map(traffic.towns.map(t => [t.townCode, t]))
  const roadById = new Map(city.roads.map(r => [r.id, r]))
  const segments: EntityFact[] = []
  for (const [id, speedKmh, grade] of traffic.segments) {
    const road = roadById.get(id)
    if (road)
      segments.push({ id, name: road.name, townCode: road.townCode, observedAt: states.traffic.heldTime(id) ?? null, metrics: { speedKmh, congestionLevel: level(grade) } })
  }

  const hallById = new Map(city.halls.map(h => [h.id, h]))
  const halls: EntityFact[] = []
  for (const r of states.halls.snapshot().halls) {
    const hall = hallById.get(r.hallId)
    if (!hall)
      continue
    halls.push({
      id: hall.id,
      name: hall.name,
      townCode: hall.townCode,
      observedAt: Date.parse(r.observedAt),
      metrics: { waiting: r.waiting, avgWaitMin: r.avgWaitMin, maxWaitMin: r.maxWaitMin, ...(r.metrics.waitingPerWindow !== null ? { waitingPerWindow: r.metrics.waitingPerWindow } : {}) },
    })
  }

  const intake1h = new Map<string, number>()
  const open = new Map<string, number>()
  const recent: IncidentFact[] = []
  const deadlines: DeadlineFact[] = []
  for (const i of incidents) {
    const reportedAt = Date.parse(i.reportedAt)
    if (i.townCode !== null && reportedAt > now - HOUR_MS && reportedAt <= now)
      intake1h.set(i.townCode, (intake1h.get(i.townCode) ?? 0) + 1)
    if (i.status === 'open') {
      if (i.townCode !== null)
        open.set(i.townCode, (open.get(i.townCode) ?? 0) + 1)
      deadlines.push(deadlineOf(i))
    }
    if (reportedAt > now - INCIDENT_LOOKBACK_MS)
      recent.push(incidentOf(i, reportedAt))
  }

  const towns: EntityFact[] = city.towns.map((t) => {
    const indicators = townIndicators.get(t.code)
    const aqi = indicators ? computeAqi(meanIndicators(indicators)) : null
    const tt = townTraffic.get(t.code)
    return {
      id: t.code,
      name: t.name,
      townCode: t.code,
      observedAt: null,
      metrics: {
        ...(aqi?.aqi != null ? { aqi: aqi.aqi } : {}),
        ...(aqi?.level != null ? { aqiLevel: aqi.level } : {}),
        ...(tt ? { tpi: tt.tpi, congestionLevel: level(gradeForTpi(tt.tpi)) } : {}),
        intake1h: intake1h.get(t.code) ?? 0,
        openIncidents: open.get(t.code) ?? 0,
      },
    }
  })

  const cityAir = states.air.city()
  const cityTraffic = states.traffic.city()
  const cityFact: EntityFact = {
    id: city.id,
    name: `全市`,
    townCode: null,
    observedAt: null,
    metrics: {
      ...(cityAir?.aqi.aqi != null ? { aqi: cityAir.aqi.aqi } : {}),
      ...(cityAir?.aqi.level != null ? { aqiLevel: cityAir.aqi.level } : {}),
      ...(cityTraffic ? { tpi: cityTraffic.tpi } : {}),
    },
  }

  const feeds: EntityFact[] = input.feeds.map((f) => {
    // Feed health counts in real time; the rules count in simulated time, which runs simSpeed times faster under the simulator.
    const scale = f.adapter === 'simulator' ? input.simSpeed : 1
    const observedAt = f.lastRecordAt === null ? null : now - Math.max(0, input.realNow - Date.parse(f.lastRecordAt)) * scale
    return { id: f.id, name: `数据源 ${f.id}`, townCode: null, observedAt, metrics: {} }
  })

  return {
    entities: { city: [cityFact], town: towns, station: stations, segment: segments, hall: halls, feed: feeds },
    incidents: recent,
    deadlines,
    townNames,
    ...(input.baselines ? { baselines: input.baselines } : {}),
  }
}

function incidentOf(i: Incident, reportedAt: number): IncidentFact {
  return {
    id: i.id,
    topic: i.topic,
    townCode: i.townCode,
    ...(i.location ? { lng: i.location.lng, lat: i.location.lat } : {}),
    reportedAt,
    text: `${i.title} ${i.description}`,
  }
}

/**
 * The deadline an open order is working to: its sign deadline while the
 * department has not signed, else its handling deadline; none once replied
 * to (the revisit is the center's own step).
 */
function deadlineOf(i: Incident): DeadlineFact {
  const running = i.handling ? runningDeadline(i.handling) : { kind: 'handle' as const, dueAt: i.dueAt }
  const what = running?.kind === 'sign' ? '签收' : '办理'
  return { id: i.id, source: 'incident', townCode: i.townCode, title: `${i.ticketNo} ${i.title}（${what}）`, dueAt: Date.parse(running?.dueAt ?? i.dueAt), open: running !== null }
}
