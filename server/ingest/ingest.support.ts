/** Test support for ingest: record builders and ingest over a real in-memory store. */
import { WorkingCalendar } from '@shared/calendar/working-days'
import { DomainBus } from '@server/bus'
import type { BatchReceipt, RawBatch } from '@server/feeds/types'
import { IncidentState } from '@server/live/incident-state'
import type { Store } from '@server/store/repositories'
import { openSqliteStore } from '@server/store/sqlite'
import { incidentApplier } from './appliers'
import type { Ingest, TelemetryKind } from './ingest'
import { createIngest } from './ingest'

export const NOW = Date.parse('2026-11-23T02:00:00.000Z')
export const KNOWN = { air: ['DG-AQ-HUMEN', 'DG-AQ-CHANGAN'], traffic: ['DG-R-0001', 'DG-R-0002'], hall: ['DG-H-CITY'] }

export const indicators = { so2: 8, no2: 35, co: 0.7, o3: 120, o3_8h: 90, pm25: 30, pm10: 48, pm25_24h: 28, pm10_24h: 45 }
export const air = (stationId: string, observedAt: string, extra: Record<string, number> = {}): Record<string, unknown> =>
  ({ stationId, observedAt, indicators: { ...indicators, ...extra } })
export const traffic = (segmentId: string, observedAt: string, speedKmh = 42): Record<string, unknown> => ({ segmentId, observedAt, speedKmh })
export const hall = (observedAt: string): Record<string, unknown> => ({
  hallId: 'DG-H-CITY',
  observedAt,
  waiting: 40,
  windowsOpen: 10,
  windowsBusy: 8,
  ticketsToday: 300,
  servedToday: 250,
  avgWaitMin: 12,
  maxWaitMin: 31,
  ratingsToday: { verySatisfied: 80, satisfied: 40, basic: 5, dissatisfied: 1, veryDissatisfied: 0 },
})
export const incident = (ticketNo: string, version: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  ticketNo,
  version,
  reportedAt: '2026-11-23T01:00:00Z',
  nature: 'complaint',
  topic: 'environment',
  title: '夜间施工噪声扰民',
  description: '东城街道某工地凌晨仍在施工',
  location: { lng: 113.78, lat: 23.035 },
  ...extra,
})

export interface Harness {
  ingest: Ingest
  store: Store
  incidents: IncidentState
  /** Newest record per entity, as the telemetry handlers were given them, and every late one. */
  latest: Map<string, { time: string, record: Record<string, unknown> }>
  late: Record<string, unknown>[]
  counted: { source: string, coalesced: number }[]
  /** Every call of a telemetry handler: its kind and the entities of its newest records. */
  applies: { kind: TelemetryKind, entities: string[] }[]
  errors: unknown[]
}

const timeOf = (r: Record<string, unknown>): string => String(r.observedAt)
const idOf = (r: Record<string, unknown>): string => String(r.stationId ?? r.segmentId ?? r.hallId)

/** Ingest over a real (in-memory) SQLite store, with telemetry handlers that record what they are given. */
export async function harness(): Promise<Harness> {
  const store = await openSqliteStore(':memory:')
  const latest = new Map<string, { time: string, record: Record<string, unknown> }>()
  const late: Record<string, unknown>[] = []
  const counted: Harness['counted'] = []
  const applies: Harness['applies'] = []
  const errors: unknown[] = []
  const recorder = (kind: TelemetryKind) => ({
    apply: (newest: unknown[], older: unknown[]) => {
      applies.push({ kind, entities: (newest as Record<string, unknown>[]).map(idOf) })
      for (const r of newest as Record<string, unknown>[]) {
        const key = `${kind}:${idOf(r)}`
        const held = latest.get(key)
        if (held && held.time >= timeOf(r))
          throw new Error(`ingest handed ${key} ${timeOf(r)} after ${held.time}`)
        latest.set(key, { time: timeOf(r), record: r })
      }
      late.push(...(older as Record<string, unknown>[]))
      return Promise.resolve()
    },
  })
  const held = (kind: TelemetryKind) => (id: string): number | undefined => {
    const h = latest.get(`${kind}:${id}`)
    return h ? Date.parse(h.time) : undefined
  }
  const incidents = new IncidentState(() => NOW)
  const towns = [{ code: '441900003', name: '东城街道', pinyin: 'Dongcheng', lng: 113.78, lat: 23.035, approx: true }]
  const routing = { 'city-management': 'dg-urban', 'environment': 'dg-eco', 'transport': 'dg-transport', 'housing': 'dg-housing', 'utilities': 'dg-water', 'market': 'dg-market', 'labour': 'dg-hrss', 'education': 'dg-edu', 'health': 'dg-health', 'public-security': 'dg-police', 'emergency': 'dg-emergency', 'local': 'town' }
  const ingest = createIngest({
    known: { air: new Set(KNOWN.air), traffic: new Set(KNOWN.traffic), hall: new Set(KNOWN.hall) },
    clockFor: () => NOW,
    now: () => NOW,
    rejects: store.rejects,
    telemetry: { air: recorder('air'), traffic: recorder('traffic'), hall: recorder('hall') },
    heldTime: { air: held('air'), traffic: held('traffic'), hall: held('hall') },
    incidents: incidentApplier({ state: incidents, store, bus: new DomainBus(), derive: { city: { towns, routing }, calendar: new WorkingCalendar() } }),
    observer: { counted: (source, counts) => counted.push({ source, coalesced: counts.coalesced }) },
    onError: err => errors.push(err),
  })
  return { ingest, store, incidents, latest, late, counted, applies, errors }
}

export async function pushAll(h: Harness, batch: RawBatch): Promise<BatchReceipt> {
  const receipt = await h.ingest.push(batch)
  await h.ingest.drained()
  return receipt
}

