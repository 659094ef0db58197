/**
 * The city KPIs through the running server: computed from the simulated
 * city, published on the `kpis` stream and over REST, recorded into the
 * hourly history and compared with what that history held a day and a week
 * earlier.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { StreamEvent } from '@shared/realtime/events'
import { StreamEventSchema } from '@shared/realtime/events'
import { KpiSet } from '@shared/schemas/kpis'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import type { RollupSample } from '@server/store/repositories'
import { openSqliteStore } from '@server/store/sqlite'
import type { ClientSocket } from './int.support'
import { connectClient, fastCityConfig, fastClock, getJson, subscribeOk, until } from './int.support'

/** Monday 2026-11-23 09:30 in Dongguan: halls open, the morning's calls coming in. */
const T0 = Date.parse('2026-11-23T01:30:00.000Z')
/** A second of real time is ten simulated minutes. */
const SIM_MS_PER_REAL_MS = 600
const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
/** Hours of history seeded around the same time a day and a week earlier: more than the test's simulated time. */
const SEEDED_HOURS = 12
const TPI_DAY_AGO = 7.25
const TPI_WEEK_AGO = 1.5
const INTAKE_DAY_AGO = 321
/** Events are the whole set; this bounds them for Dongguan (33 towns, 46 departments). */
const MAX_EVENT_BYTES = 8 * 1024

function seed(entityId: string, value: number, around: number): RollupSample[] {
  return Array.from({ length: SEEDED_HOURS }, (_, h) =>
    ({ kind: 'kpi', entityId, metric: 'value', observedAt: new Date(around + (h - 1) * HOUR_MS).toISOString(), value }))
}

describe('the kpis stream through the running server', { timeout: 90_000 }, () => {
  let dir: string
  let server: RunningServer
  const opened: ClientSocket[] = []

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-kpis-'))
    const dbFile = join(dir, 'ioc.db')
    // What an earlier run recorded yesterday and last week.
    const earlier = await openSqliteStore(dbFile)
    await earlier.history.add([
      ...seed('traffic.tpi', TPI_DAY_AGO, T0 - DAY_MS),
      ...seed('traffic.tpi', TPI_WEEK_AGO, T0 - 7 * DAY_MS),
      ...seed('incidents.intakeToday', INTAKE_DAY_AGO, T0 - DAY_MS),
    ])
    await earlier.close()
    server = await startServer(fastCityConfig(dbFile), { clock: fastClock(T0, SIM_MS_PER_REAL_MS), kpiIntervalMs: 200 })
  })
  afterEach(() => {
    for (const socket of opened.splice(0))
      socket.disconnect()
  })
  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('gives a snapshot, then numbered events with the live city and yesterday\'s and last week\'s figures', async () => {
    const c = await connectClient(server, opened)
    const answer = await subscribeOk(c.socket, { stream: 'kpis' })
    expect(answer.mode).toBe('snapshot')
    if (answer.mode !== 'snapshot')
      return
    KpiSet.parse(answer.snapshot)

    const live = (e: StreamEvent<'kpis'>): boolean => e.data.air.aqi.value !== null && e.data.traffic.tpi.value !== null
      && (e.data.incidents.intakeToday.value ?? 0) > 0 && e.data.halls.windowsOpen.value !== null
    const kpiEvents = (): StreamEvent<'kpis'>[] => c.events.filter((e): e is StreamEvent<'kpis'> => e.stream === 'kpis')
    const event = await until('a KPI event with air, traffic, halls and incidents', () => kpiEvents().find(live), 600)

    const seqs = kpiEvents().map(e => e.seq)
    expect(seqs[0]).toBe(answer.seq + 1)
    expect(seqs).toEqual(seqs.map((_, k) => answer.seq + 1 + k))
    expect(StreamEventSchema.parse(event)).toEqual(event)
    const k = event.data
    expect(k.air.aqi.value).toBeGreaterThan(0)
    expect(Object.values(k.air.stationsByLevel).reduce((n, l) => n + (l.value ?? 0), 0)).toBeGreaterThan(0)
    expect(Object.keys(k.traffic.tpiByTown).length).toBeGreaterThan(10)
    expect(k.traffic.tpi).toMatchObject({ dayAgo: TPI_DAY_AGO, weekAgo: TPI_WEEK_AGO })
    expect(k.incidents.intakeToday).toMatchObject({ dayAgo: INTAKE_DAY_AGO, weekAgo: null })
    expect(k.air.aqi).toMatchObject({ dayAgo: null, weekAgo: null })
    expect(Date.parse(k.at)).toBeGreaterThan(T0)
    expect(JSON.stringify(event).length).toBeLessThan(MAX_EVENT_BYTES)

    // Coming back after missing several sets, a client gets the newest set, not a replay.
    await until('two more KPI events', () => kpiEvents().length >= 3)
    const again = await subscribeOk(c.socket, { stream: 'kpis', epoch: answer.epoch, lastSeq: answer.seq + 1 })
    expect(again.mode).toBe('snapshot')
  })

  it('serves the KPIs over REST and records them into the hourly history', async () => {
    const { status, body } = await getJson(server, '/api/kpis')
    expect(status).toBe(200)
    const kpis = KpiSet.parse(body)
    expect(kpis.traffic.tpi.dayAgo).toBe(TPI_DAY_AGO)

    const query = `/api/history?kind=kpi&entity=traffic.tpi&metric=value&from=${new Date(T0 - HOUR_MS).toISOString()}&to=${new Date(T0 + DAY_MS).toISOString()}`
    const rows = await until('the server\'s own KPI history', async () => {
      const { body: history } = await getJson<{ rows: { n: number, mean: number }[] }>(server, query)
      return history.rows.length > 0 && history.rows
    })
    expect(rows[0]?.n).toBeGreaterThan(0)
    expect(rows[0]?.mean).toBeGreaterThanOrEqual(0)
    expect(rows[0]?.mean).toBeLessThanOrEqual(10)
  })
})
