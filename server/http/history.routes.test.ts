/**
 * GET /api/history and /api/history/metrics over HTTP, on a real SQLite
 * store: what the repository holds comes back as buckets, old links keep
 * working, and bad input is refused with a 400 that says what is wrong.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import type { HttpSession } from '@server/auth/auth.support'
import { authStack } from '@server/auth/auth.support'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HISTORY_MAX_POINTS, HistoryCatalog, HistoryResponse } from '@shared/schemas/history'
import { KPI_KEYS } from '@shared/schemas/kpis'
import type { RollupRow, RollupSample, Store } from '@server/store/repositories'
import { openSqliteStore } from '@server/store/sqlite'
import { foldIntoSteps, historyRoutes } from './history.routes'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
/** Monday 2026-11-23 00:00 UTC. */
const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const iso = (ms: number): string => new Date(ms).toISOString()

describe(foldIntoSteps.name, () => {
  const row = (minute: number, n: number, mean: number, min = mean, max = mean): RollupRow =>
    ({ kind: 'kpi', entityId: 'air.aqi', metric: 'value', start: iso(T0 + minute * MINUTE_MS), n, mean, min, max })

  it('folds rollups into epoch-aligned steps: n-weighted mean, overall min and max; empty steps are absent', () => {
    const rows = [row(0, 1, 10), row(3, 3, 20, 15, 25), row(4, 1, 50), row(5, 2, 1, 0, 2), row(17, 1, 7)]
    expect(foldIntoSteps(rows, 5 * MINUTE_MS)).toEqual([
      { t: iso(T0), n: 5, mean: (10 + 60 + 50) / 5, min: 10, max: 50 },
      { t: iso(T0 + 5 * MINUTE_MS), n: 2, mean: 1, min: 0, max: 2 },
      { t: iso(T0 + 15 * MINUTE_MS), n: 1, mean: 7, min: 7, max: 7 },
    ])
  })

  it('gives each rollup its own point at step 1, means to six significant digits', () => {
    expect(foldIntoSteps([row(0, 3, 10 / 3), row(1, 1, 2)], MINUTE_MS)).toEqual([
      { t: iso(T0), n: 3, mean: 3.33333, min: 10 / 3, max: 10 / 3 },
      { t: iso(T0 + MINUTE_MS), n: 1, mean: 2, min: 2, max: 2 },
    ])
    expect(foldIntoSteps([], MINUTE_MS)).toEqual([])
  })
})

describe('GET /api/history', () => {
  let store: Store
  let server: Server
  let base: string

  let session: HttpSession
  const get = (path: string): Promise<{ status: number, body: unknown }> => session.get(path)
  const history = async (params: Record<string, string | number>): Promise<HistoryResponse> => {
    const { status, body } = await get(`/api/history?${new URLSearchParams(Object.entries(params).map(([k, v]) => [k, String(v)]))}`)
    expect(status, JSON.stringify(body)).toBe(200)
    return HistoryResponse.parse(body)
  }
  const refused = async (query: string): Promise<string> => {
    const { status, body } = await get(`/api/history?${query}`)
    expect(status, JSON.stringify(body)).toBe(400)
    return (body as { error: string }).error
  }

  beforeAll(async () => {
    store = await openSqliteStore(':memory:')
    // 26 hours of the city AQI KPI, one sample a minute (value = minutes since T0 mod 100),
    // and some telemetry as the ingest writes it.
    const samples: RollupSample[] = Array.from({ length: 26 * 60 }, (_, m) =>
      ({ kind: 'kpi', entityId: 'air.aqi', metric: 'value', observedAt: iso(T0 + m * MINUTE_MS + 10_000), value: m % 100 }))
    samples.push(
      { kind: 'traffic', entityId: '441900003', metric: 'tpi', observedAt: iso(T0 + 90_000), value: 4.5 },
      { kind: 'traffic', entityId: 'city', metric: 'tpi', observedAt: iso(T0 + 90_000), value: 3.25 },
      { kind: 'hall', entityId: 'DG-H-01', metric: 'waiting', observedAt: iso(T0 + 90_000), value: 12 },
    )
    await store.history.add(samples)
    const stack = authStack(store)
    const app = express()
    app.use('/api', stack.router, historyRoutes({ store, guard: stack.guard, historyRetentionDays: { minute: 7, hour: 400 } }))
    server = app.listen(0, '127.0.0.1')
    await new Promise<void>(resolve => server.once('listening', () => resolve()))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
    session = await stack.user(base, ['leader'])
  })
  afterAll(async () => {
    await new Promise<void>(resolve => server.close(() => resolve()))
    await store.close()
  })

  it('lists every metric, the KPIs as city-wide, with retention and limits', async () => {
    const { status, body } = await get('/api/history/metrics')
    expect(status).toBe(200)
    const catalog = HistoryCatalog.parse(body)
    expect(catalog.retentionDays).toEqual({ minute: 7, hour: 400 })
    expect(catalog.maxPoints).toBe(HISTORY_MAX_POINTS)
    const metrics = catalog.metrics.map(m => m.metric)
    expect(metrics).toEqual(expect.arrayContaining(['air.aqi', 'traffic.speedKmh', 'traffic.tpi', 'hall.waiting', 'hall.avgWaitMin']))
    for (const key of KPI_KEYS)
      expect(catalog.metrics.find(m => m.metric === `kpi.${key}`), key).toMatchObject({ entities: ['city'] })
    expect(catalog.metrics.find(m => m.metric === 'kpi.incidents.open')).toMatchObject({ zh: '在办工单', en: 'Open orders' })
    expect(new Set(catalog.metrics.map(m => m.zh)).size).toBe(catalog.metrics.length)
  })

  it('answers a day of a KPI per minute, one point a minute, oldest first', async () => {
    const to = T0 + 25 * HOUR_MS
    const day = await history({ metric: 'kpi.air.aqi', from: iso(to - 24 * HOUR_MS), to: iso(to), resolution: 'minute' })
    expect(day).toMatchObject({ metric: 'kpi.air.aqi', entity: 'city', resolution: 'minute', stepMs: MINUTE_MS, from: iso(T0 + HOUR_MS), to: iso(to) })
    expect(day.rows).toHaveLength(24 * 60)
    expect(day.rows[0]).toEqual({ t: iso(T0 + HOUR_MS), n: 1, mean: 60, min: 60, max: 60 })
    expect(day.rows.at(-1)?.t).toBe(iso(to - MINUTE_MS))
  })

  it('folds minutes into larger steps, the first one whole even when `from` falls inside it', async () => {
    const fiveMin = await history({ metric: 'kpi.air.aqi', entity: 'city', from: iso(T0 + 7 * MINUTE_MS), to: iso(T0 + 20 * MINUTE_MS), resolution: 'minute', step: 5 })
    expect(fiveMin.from).toBe(iso(T0 + 5 * MINUTE_MS))
    expect(fiveMin.rows).toEqual([
      { t: iso(T0 + 5 * MINUTE_MS), n: 5, mean: 7, min: 5, max: 9 },
      { t: iso(T0 + 10 * MINUTE_MS), n: 5, mean: 12, min: 10, max: 14 },
      { t: iso(T0 + 15 * MINUTE_MS), n: 5, mean: 17, min: 15, max: 19 },
    ])
  })

  it('answers per hour by default, and the hours agree with the minutes', async () => {
    const hours = await history({ metric: 'kpi.air.aqi', from: iso(T0), to: iso(T0 + 2 * HOUR_MS) })
    expect(hours.resolution).toBe('hour')
    const minutes = await history({ metric: 'kpi.air.aqi', from: iso(T0), to: iso(T0 + 2 * HOUR_MS), resolution: 'minute', step: 60 })
    expect(hours.rows).toEqual(minutes.rows)
    expect(hours.rows.map(r => [r.n, r.min, r.max])).toEqual([[60, 0, 59], [60, 0, 99]])
  })

  it('answers telemetry per entity: city and town TPI, a hall', async () => {
    const range = { from: iso(T0), to: iso(T0 + HOUR_MS), resolution: 'minute' }
    expect((await history({ metric: 'traffic.tpi', entity: 'city', ...range })).rows).toEqual([{ t: iso(T0 + MINUTE_MS), n: 1, mean: 3.25, min: 3.25, max: 3.25 }])
    expect((await history({ metric: 'traffic.tpi', entity: '441900003', ...range })).rows.map(r => r.mean)).toEqual([4.5])
    expect((await history({ metric: 'hall.waiting', entity: 'DG-H-01', ...range })).rows.map(r => r.mean)).toEqual([12])
    expect((await history({ metric: 'hall.waiting', entity: 'DG-H-99', ...range })).rows).toEqual([])
  })

  it('still takes the form of the hourly-only API (kind, and entity and metric as stored)', async () => {
    const old = await history({ kind: 'kpi', entity: 'air.aqi', metric: 'value', from: iso(T0), to: iso(T0 + HOUR_MS) })
    expect(old).toMatchObject({ metric: 'kpi.air.aqi', entity: 'city', resolution: 'hour' })
    expect(old.rows).toEqual([{ t: iso(T0), n: 60, mean: 29.5, min: 0, max: 59 }])
    const town = await history({ kind: 'traffic', entity: '441900003', metric: 'tpi', from: iso(T0), to: iso(T0 + HOUR_MS) })
    expect(town.rows.map(r => r.mean)).toEqual([4.5])
  })

  it.each([
    ['an unknown metric', `metric=air.benzene&entity=DG-AQ-1&from=${iso(T0)}&to=${iso(T0 + HOUR_MS)}`, /metric unknown metric \(GET \/api\/history\/metrics lists them\)/],
    ['no metric', `from=${iso(T0)}&to=${iso(T0 + HOUR_MS)}`, /metric required/],
    ['a per-entity metric without its entity', `metric=hall.waiting&from=${iso(T0)}&to=${iso(T0 + HOUR_MS)}`, /entity required for hall.waiting \(hall id\)/],
    ['a city-wide metric with another entity', `metric=kpi.incidents.open&entity=DG-H-01&from=${iso(T0)}&to=${iso(T0 + HOUR_MS)}`, /kpi.incidents.open is city-wide/],
    ['an entity that cannot be an id', `metric=hall.waiting&entity=${encodeURIComponent('a b;')}&from=${iso(T0)}&to=${iso(T0 + HOUR_MS)}`, /entity/],
    ['a time without an offset', `metric=kpi.air.aqi&from=2026-11-23T00:00:00&to=${iso(T0 + HOUR_MS)}`, /from/],
    ['no range', 'metric=kpi.air.aqi', /from.*to/],
    ['`to` before `from`', `metric=kpi.air.aqi&from=${iso(T0 + HOUR_MS)}&to=${iso(T0)}`, /to must be after from/],
    ['an empty range', `metric=kpi.air.aqi&from=${iso(T0)}&to=${iso(T0)}`, /to must be after from/],
    ['an unknown resolution', `metric=kpi.air.aqi&from=${iso(T0)}&to=${iso(T0 + HOUR_MS)}&resolution=second`, /resolution/],
    ['a step of zero', `metric=kpi.air.aqi&from=${iso(T0)}&to=${iso(T0 + HOUR_MS)}&step=0`, /step/],
    ['a fractional step', `metric=kpi.air.aqi&from=${iso(T0)}&to=${iso(T0 + HOUR_MS)}&step=1.5`, /step/],
  ])('refuses %s with 400', async (_what, query, message) => {
    expect(await refused(query)).toMatch(message)
  })

  it('refuses more points than it answers, and says how to ask instead', async () => {
    const week = `metric=kpi.air.aqi&from=${iso(T0)}&to=${iso(T0 + 7 * 24 * HOUR_MS)}`
    expect(await refused(`${week}&resolution=minute`)).toMatch(/range too long: 10080 minute buckets of 1, at most 1500; raise step or use resolution=hour/)
    // A week of minutes in 10-minute steps, or of hours, is within the limit.
    expect((await history({ metric: 'kpi.air.aqi', from: iso(T0), to: iso(T0 + 7 * 24 * HOUR_MS), resolution: 'minute', step: 10 })).rows).toHaveLength(26 * 6)
    expect(await refused(`metric=kpi.air.aqi&from=${iso(T0)}&to=${iso(T0 + 70 * 24 * HOUR_MS)}`)).toMatch(/1680 hour buckets of 1, at most 1500; raise step, or shorten/)
  })
})
