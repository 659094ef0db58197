/**
 * The history through the running server: what the ingest and the KPI
 * publisher write is what GET /api/history answers for every metric the
 * catalog lists, per minute and per hour.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CityModel } from '@shared/schemas/city'
import { HistoryCatalog, HistoryResponse } from '@shared/schemas/history'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { fastCityConfig, fastClock, getJson, until } from '@server/realtime/int.support'
import { openSqliteStore } from '@server/store/sqlite'

/** Monday 2026-11-23 10:00 in Dongguan: halls open, traffic and 12345 busy. */
const T0 = Date.parse('2026-11-23T02:00:00.000Z')
/** A real second is five simulated minutes. */
const SIM_MS_PER_REAL_MS = 300
const MINUTE_MS = 60_000
const DAY_MS = 24 * 60 * MINUTE_MS
/** KPI history an earlier run left, by KPI key: how many days before T0. */
const SEEDED_DAYS_AGO = { 'air.aqi': 1, 'traffic.tpi': 3, 'halls.waiting': 9, 'incidents.open': 11 }

describe('GET /api/history through the running server', { timeout: 60_000 }, () => {
  let dir: string
  let server: RunningServer
  let city: CityModel

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-history-'))
    const dbFile = join(dir, 'ioc.db')
    // What an earlier run recorded: some of it past the retention configured below.
    const earlier = await openSqliteStore(dbFile)
    await earlier.history.add(Object.entries(SEEDED_DAYS_AGO).map(([entityId, days]) => ({ kind: 'kpi', entityId, metric: 'value', observedAt: new Date(T0 - days * DAY_MS).toISOString(), value: days })))
    await earlier.close()
    server = await startServer(fastCityConfig(dbFile, { historyMinuteDays: 2, historyHourDays: 10 }), { clock: fastClock(T0, SIM_MS_PER_REAL_MS), kpiIntervalMs: 200 })
    city = CityModel.parse((await getJson(server, '/api/city')).body)
  })
  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('answers every metric of the catalog for an entity of its kind, per minute and per hour', async () => {
    const { body } = await getJson(server, '/api/history/metrics')
    const catalog = HistoryCatalog.parse(body)
    const entityOf = (kind: string): string => {
      switch (kind) {
        case 'station': return city.airStations[0]!.id
        case 'segment': return city.roads[0]!.id
        case 'hall': return city.halls[0]!.id
        case 'town': return city.towns[0]!.code
        default: return 'city'
      }
    }
    // The on-time rate is null (so not recorded) until the day's first closure, which may not have come yet.
    const maybeEmpty = new Set(['kpi.incidents.onTimeRate'])
    const range = `from=${new Date(T0 - MINUTE_MS).toISOString()}&to=${new Date(T0 + 24 * 60 * MINUTE_MS).toISOString()}`
    for (const info of catalog.metrics) {
      for (const kind of info.entities) {
        const entity = entityOf(kind)
        const path = (resolution: string, step: number): string => `/api/history?metric=${info.metric}&entity=${entity}&${range}&resolution=${resolution}&step=${step}`
        const minutes = await until(`${info.metric} of ${entity} per minute`, async () => {
          const answer = HistoryResponse.parse((await getJson(server, path('minute', 5))).body)
          return (answer.rows.length > 0 || maybeEmpty.has(info.metric)) && answer
        })
        if (maybeEmpty.has(info.metric))
          continue
        const hours = HistoryResponse.parse((await getJson(server, path('hour', 1))).body)
        expect(hours.rows.length, `${info.metric} of ${entity} per hour`).toBeGreaterThan(0)
        // The same samples, folded two ways.
        const total = (rows: { n: number }[]): number => rows.reduce((n, r) => n + r.n, 0)
        expect(total(hours.rows), info.metric).toBeGreaterThanOrEqual(total(minutes.rows))
      }
    }
  })

  it('prunes each resolution by its configured retention (2 days of minutes, 10 of hours) from the start', async () => {
    const held = async (key: string, resolution: 'minute' | 'hour'): Promise<number> => {
      const days = SEEDED_DAYS_AGO[key as keyof typeof SEEDED_DAYS_AGO]
      const from = T0 - days * DAY_MS - 30 * MINUTE_MS
      const query = `/api/history?metric=kpi.${key}&from=${new Date(from).toISOString()}&to=${new Date(from + DAY_MS).toISOString()}&resolution=${resolution}&step=60`
      return HistoryResponse.parse((await getJson(server, query)).body).rows.length
    }
    // The prune at start deletes minutes, then hours.
    await until('the first prune', async () => await held('incidents.open', 'hour') === 0)
    expect(await held('air.aqi', 'minute')).toBe(1)
    expect(await held('traffic.tpi', 'minute')).toBe(0)
    expect(await held('traffic.tpi', 'hour')).toBe(1)
    expect(await held('halls.waiting', 'minute')).toBe(0)
    expect(await held('halls.waiting', 'hour')).toBe(1)
    const { body } = await getJson(server, '/api/history/metrics')
    expect(HistoryCatalog.parse(body).retentionDays).toEqual({ minute: 2, hour: 10 })
  })
})
