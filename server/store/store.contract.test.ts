/**
 * One behaviour suite for every store implementation: the same repository
 * calls must give the same answers on SQLite and on PostgreSQL. Incidents have
 * their own file (incident.contract.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AirStation, StationReading } from '@shared/schemas/air'
import type { NewRejection, RollupSample, Store } from './repositories'
import type { OpenedStore } from './store.backends'
import { contractBackends, PG_TEST_URL, redacted } from './store.backends'

const { backends, pgProblem } = await contractBackends()

const T0 = Date.parse('2026-11-23T00:00:00.000Z')
/** An instant `minutes` after T0, as the ingest writes them (UTC, milliseconds). */
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString()

const station = (id: string, name = id): AirStation => ({ id, name, townCode: '441900003', kind: 'national', lng: 113.75, lat: 23.02 })
const reading = (stationId: string, observedAt: string, aqi: number | null): StationReading => ({
  stationId,
  observedAt,
  indicators: { pm25: 20.5, o3: 118 },
  aqi: { aqi, level: aqi === null ? null : 2, iaqi: { pm25: 30 }, primary: [], exceeding: [], indicative: false, aboveScale: false },
})
const sample = (entityId: string, minutes: number, value: number, metric = 'speedKmh'): RollupSample =>
  ({ kind: 'traffic', entityId, metric, observedAt: at(minutes), value })
const rejection = (source: string, kind: NewRejection['kind'], minutes: number, raw = `{"n":${minutes}}`): NewRejection => ({
  source,
  kind,
  code: kind === null ? 'parse' : 'schema',
  receivedAt: at(minutes),
  reasons: [{ path: 'speedKmh', code: 'too_big', message: '速度超出范围' }],
  raw,
  rawSha256: `sha-${source}-${minutes}`,
})

describe('PostgreSQL for the contract suite', () => {
  it('is reachable (required when CI is set)', (ctx) => {
    if (pgProblem !== undefined && !process.env.CI)
      ctx.skip(`PostgreSQL at ${redacted(PG_TEST_URL)} unreachable: ${pgProblem}`)
    expect(pgProblem, `PostgreSQL at ${redacted(PG_TEST_URL)}`).toBeUndefined()
  })
})

describe.each(backends.map(b => [b.name, b] as const))('%s store', (_name, backend) => {
  let opened: OpenedStore | undefined
  let store: Store
  beforeEach(async () => {
    opened = await backend.open()
    store = opened.store
  })
  // Optional: a failed open leaves nothing to dispose.
  afterEach(() => opened?.dispose())

  describe('air', () => {
    it('upserts stations, the same id twice in one batch included', async () => {
      await store.air.saveStations([])
      await store.air.saveStations([station('DG-AQ-1'), station('DG-AQ-2')])
      await expect(store.air.saveStations([station('DG-AQ-1', '莞城'), station('DG-AQ-1', '莞城 2'), station('DG-AQ-3')])).resolves.toBeUndefined()
    })

    it('keeps the newest reading per station: an older one never replaces it, across calls or within one batch', async () => {
      await store.air.saveLatest([reading('A', at(60), 50), reading('B', at(60), 70)])
      await store.air.saveLatest([reading('A', at(0), 99), reading('B', at(120), 80), reading('B', at(90), 75), reading('C', at(30), null)])
      await store.air.saveLatest([reading('C', at(90), 40), reading('C', at(60), 41)])
      const latest = (await store.air.latest()).sort((a, b) => a.stationId.localeCompare(b.stationId))
      expect(latest).toEqual([reading('A', at(60), 50), reading('B', at(120), 80), reading('C', at(90), 40)])
    })

    it('gives the city trend from `since` on, oldest first; a point saved again replaces its AQI; prune keeps `before` itself', async () => {
      for (const m of [120, 0, 60, 180])
        await store.air.saveCityPoint({ t: at(m), aqi: 40 + m / 60 })
      await store.air.saveCityPoint({ t: at(60), aqi: 77 })
      expect(await store.air.cityTrend(at(60))).toEqual([{ t: at(60), aqi: 77 }, { t: at(120), aqi: 42 }, { t: at(180), aqi: 43 }])
      await store.air.pruneCityTrend(at(120))
      expect(await store.air.cityTrend(at(-600))).toEqual([{ t: at(120), aqi: 42 }, { t: at(180), aqi: 43 }])
    })
  })

  describe('telemetry latest', () => {
    it('keeps the newest reading per kind and entity; older ones never win; kinds do not mix', async () => {
      const r = (id: string, m: number, v: unknown): { entityId: string, observedAt: string, reading: unknown } => ({ entityId: id, observedAt: at(m), reading: v })
      await store.telemetry.saveLatest('traffic', [r('S1', 10, { speedKmh: 42.5 }), r('S2', 10, { speedKmh: 12 })])
      await store.telemetry.saveLatest('traffic', [r('S1', 5, { speedKmh: 1 }), r('S2', 20, { speedKmh: 30 }), r('S2', 15, { speedKmh: 2 })])
      await store.telemetry.saveLatest('hall', [r('S1', 0, { waiting: 4, name: '市民服务中心' })])
      const byId = (rows: { entityId: string }[]): unknown[] => rows.sort((a, b) => a.entityId.localeCompare(b.entityId))
      expect(byId(await store.telemetry.latest('traffic'))).toEqual([r('S1', 10, { speedKmh: 42.5 }), r('S2', 20, { speedKmh: 30 })])
      expect(await store.telemetry.latest('hall')).toEqual([r('S1', 0, { waiting: 4, name: '市民服务中心' })])
      expect(await store.telemetry.latest('air')).toEqual([])
    })

    it('writes batches larger than one statement', async () => {
      const many = Array.from({ length: 1203 }, (_, i) => ({ entityId: `DG-R-${i}`, observedAt: at(i % 7), reading: { i } }))
      await store.telemetry.saveLatest('traffic', many)
      const rows = await store.telemetry.latest('traffic')
      expect(rows).toHaveLength(many.length)
      expect(rows.find(row => row.entityId === 'DG-R-1202')).toEqual(many[1202])
    })
  })

  describe('history', () => {
    const series = { kind: 'traffic', entityId: 'S1', metric: 'speedKmh' } as const
    const hours = (from: number, to: number) => store.history.query({ resolution: 'hour', ...series, from: at(from), to: at(to) })
    const minutes = (from: number, to: number) => store.history.query({ resolution: 'minute', ...series, from: at(from), to: at(to) })
    /** An instant `seconds` after T0. */
    const atS = (seconds: number): string => new Date(T0 + seconds * 1000).toISOString()

    it('folds samples into hour buckets across adds: n, mean, min and max; a late sample lands in its own hour', async () => {
      await store.history.add([sample('S1', 65, 40), sample('S1', 70, -2.5), sample('S1', 130, 10)])
      await store.history.add([sample('S1', 119, 60.25), sample('S1', 61, 30)])
      // Late: hour 0 after hours 1 and 2 exist.
      await store.history.add([sample('S1', 5, 8)])
      expect(await hours(0, 180)).toEqual([
        { ...series, start: at(0), n: 1, mean: 8, min: 8, max: 8 },
        { ...series, start: at(60), n: 4, mean: (40 - 2.5 + 60.25 + 30) / 4, min: -2.5, max: 60.25 },
        { ...series, start: at(120), n: 1, mean: 10, min: 10, max: 10 },
      ])
    })

    it('folds the same samples into minute buckets; a late sample lands in its own minute', async () => {
      const s = (seconds: number, value: number): RollupSample => ({ ...sample('S1', 0, value), observedAt: atS(seconds) })
      await store.history.add([s(60, 40), s(119.999, -2.5), s(120, 10)])
      await store.history.add([s(61, 60.25), s(90, 30)])
      await store.history.add([s(59, 8)])
      expect(await minutes(0, 3)).toEqual([
        { ...series, start: at(0), n: 1, mean: 8, min: 8, max: 8 },
        { ...series, start: at(1), n: 4, mean: (40 - 2.5 + 60.25 + 30) / 4, min: -2.5, max: 60.25 },
        { ...series, start: at(2), n: 1, mean: 10, min: 10, max: 10 },
      ])
      // Every sample is in its hour too, written in the same add.
      expect(await hours(0, 60)).toEqual([{ ...series, start: at(0), n: 6, mean: (8 + 40 - 2.5 + 60.25 + 30 + 10) / 6, min: -2.5, max: 60.25 }])
    })

    it('queries [from, to) of one resolution, kind, entity and metric, oldest first', async () => {
      await store.history.add([sample('S1', 0, 1), sample('S1', 60, 2), sample('S1', 61, 4), sample('S1', 120, 3), sample('S2', 60, 9), sample('S1', 60, 7, 'flow')])
      await store.history.add([{ kind: 'hall', entityId: 'S1', metric: 'speedKmh', observedAt: at(60), value: 5 }])
      expect((await hours(60, 120)).map(r => [r.start, r.n, r.mean])).toEqual([[at(60), 2, 3]])
      expect((await minutes(60, 120)).map(r => [r.start, r.n, r.mean])).toEqual([[at(60), 1, 2], [at(61), 1, 4]])
      expect((await minutes(61, 120)).map(r => r.start)).toEqual([at(61)])
    })

    it('prunes each resolution before its own instant and keeps that bucket', async () => {
      await store.history.add([sample('S1', 0, 1), sample('S1', 59, 1), sample('S1', 60, 2), sample('S1', 61, 2), sample('S2', 30, 3)])
      await store.history.prune({ minute: at(60), hour: at(0) })
      expect((await minutes(-60, 240)).map(r => r.start)).toEqual([at(60), at(61)])
      expect((await hours(-60, 240)).map(r => r.start)).toEqual([at(0), at(60)])
      await store.history.prune({ minute: at(61), hour: at(60) })
      expect((await minutes(-60, 240)).map(r => r.start)).toEqual([at(61)])
      expect((await hours(-60, 240)).map(r => r.start)).toEqual([at(60)])
      expect(await store.history.query({ resolution: 'minute', ...series, entityId: 'S2', from: at(-60), to: at(240) })).toEqual([])
      expect(await store.history.query({ resolution: 'hour', ...series, entityId: 'S2', from: at(-60), to: at(240) })).toEqual([])
    })

    it('prunes days of buckets at once, slice by slice, down to the instant given', async () => {
      const spread = Array.from({ length: 3 * 24 * 6 }, (_, i) => sample(`S${i % 3}`, i * 10, i))
      await store.history.add(spread)
      await store.history.prune({ minute: at(2 * 24 * 60 + 5), hour: at(24 * 60 + 60) })
      const all = async (resolution: 'minute' | 'hour'): Promise<string[]> => (await Promise.all(['S0', 'S1', 'S2'].map(entityId =>
        store.history.query({ resolution, ...series, entityId, from: at(-1e6), to: at(1e6) })))).flat().map(r => r.start).sort()
      const minutesLeft = await all('minute')
      expect(minutesLeft[0]).toBe(at(2 * 24 * 60 + 10))
      expect(minutesLeft).toHaveLength(spread.filter(s => s.observedAt >= at(2 * 24 * 60 + 5)).length)
      const hoursLeft = await all('hour')
      expect(hoursLeft[0]).toBe(at(24 * 60 + 60))
      expect(hoursLeft).toHaveLength(3 * (2 * 24 - 1))
    })

    it('folds batches larger than one statement, a traffic round of every segment included', async () => {
      const samples = Array.from({ length: 1500 }, (_, i) => sample(`S${i % 600}`, (i % 3) * 60 + (i % 5), i))
      await store.history.add(samples)
      await store.history.add(samples)
      const mine = samples.filter(s => s.entityId === 'S7')
      for (const resolution of ['minute', 'hour'] as const) {
        const rows = await store.history.query({ resolution, ...series, entityId: 'S7', from: at(0), to: at(240) })
        expect(rows.reduce((n, r) => n + r.n, 0), resolution).toBe(2 * mine.length)
        expect(Math.max(...rows.map(r => r.max)), resolution).toBe(Math.max(...mine.map(s => s.value)))
      }
      const round = Array.from({ length: 1850 }, (_, i) => sample(`DG-R-${i}`, 3, i / 10))
      await store.history.add(round)
      const last = await store.history.query({ resolution: 'minute', ...series, entityId: 'DG-R-1849', from: at(0), to: at(60) })
      expect(last).toEqual([{ ...series, entityId: 'DG-R-1849', start: at(3), n: 1, mean: 184.9, min: 184.9, max: 184.9 }])
    })

    it('adds nothing for no samples', async () => {
      await store.history.add([])
      expect(await minutes(-1e6, 1e6)).toEqual([])
    })
  })

  describe('rejects', () => {
    it('lists newest first, filtered by source and kind, and counts the same filters', async () => {
      await store.rejects.add([rejection('mqtt-a', 'traffic', 1), rejection('mqtt-a', null, 2), rejection('http-b', 'traffic', 3)])
      await store.rejects.add([rejection('mqtt-a', 'traffic', 4)])
      await store.rejects.add([])
      const all = await store.rejects.list({ limit: 10 })
      expect(all.map(r => r.rawSha256)).toEqual(['sha-mqtt-a-4', 'sha-http-b-3', 'sha-mqtt-a-2', 'sha-mqtt-a-1'])
      expect(all.every(r => Number.isInteger(r.id))).toBe(true)
      expect(all[1]).toEqual({ ...rejection('http-b', 'traffic', 3), id: all[1]?.id })
      expect((await store.rejects.list({ limit: 10, source: 'mqtt-a', kind: 'traffic' })).map(r => r.receivedAt)).toEqual([at(4), at(1)])
      expect((await store.rejects.list({ limit: 1, source: 'mqtt-a' })).map(r => r.receivedAt)).toEqual([at(4)])
      expect((await store.rejects.list({ limit: 10, kind: 'traffic' })).map(r => r.source)).toEqual(['mqtt-a', 'http-b', 'mqtt-a'])
      expect([await store.rejects.count(), await store.rejects.count({ source: 'mqtt-a' }), await store.rejects.count({ kind: 'traffic' }), await store.rejects.count({ source: 'nobody' })])
        .toEqual([4, 3, 3, 0])
    })

    it('keeps any text as received except NUL, which PostgreSQL text cannot hold', async () => {
      const raw = '{"名":"东城","e":"😀\\u0000"}\u0000tail\r\n'
      await store.rejects.add([rejection('http-b', null, 1, raw)])
      const [row] = await store.rejects.list({ limit: 1 })
      expect(row?.raw).toBe(raw.replaceAll('\u0000', '\uFFFD'))
      expect(row?.rawSha256).toBe('sha-http-b-1')
    })

    it('prunes rows received before `before`', async () => {
      await store.rejects.add([rejection('a', null, 1), rejection('a', null, 2), rejection('a', null, 3)])
      await store.rejects.prune(at(2))
      expect((await store.rejects.list({ limit: 10 })).map(r => r.receivedAt)).toEqual([at(3), at(2)])
      expect(await store.rejects.count()).toBe(2)
    })
  })

  it('keeps its data when opened again (a restart), and goes on from there', async () => {
    await store.air.saveLatest([reading('A', at(60), 50)])
    await store.rejects.add([rejection('a', null, 1)])
    await store.history.add([sample('S1', 61, 5)])
    const again = await opened!.restart()
    expect(await again.air.latest()).toEqual([reading('A', at(60), 50)])
    for (const resolution of ['minute', 'hour'] as const)
      expect(await again.history.query({ resolution, kind: 'traffic', entityId: 'S1', metric: 'speedKmh', from: at(0), to: at(120) }), resolution).toHaveLength(1)
    await again.rejects.add([rejection('a', null, 2)])
    const [newer, older] = await again.rejects.list({ limit: 10 })
    expect(newer?.receivedAt).toBe(at(2))
    expect(newer!.id).toBeGreaterThan(older!.id)
  })
})
