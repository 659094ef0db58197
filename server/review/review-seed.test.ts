/** The review history seeder (review-seed.ts) on a real store, SQLite and PostgreSQL: rows consistent, orders valid, a fold sane. */
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import type { DatabaseConnection } from 'kysely'
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { localDate } from '@shared/calendar/working-days'
import { Incident } from '@shared/schemas/incidents'
import { WorkOrder, WorkOrderEvent } from '@shared/schemas/work-orders'
import { loadCity } from '@server/city'
import { loadWorkingCalendar } from '@server/city/calendar'
import { migrate, storeOver } from '@server/store/kysely-store'
import type { Store } from '@server/store/repositories'
import type { Database } from '@server/store/schema'
import { PG_TEST_URL, postgresProblem, redacted } from '@server/store/store.backends'
import type { DayRow } from './day-fold'
import { CITY, DAY_KINDS, localHourOf } from './day-fold'
import { DayFolder } from './day-folder'
import { foldStored, newDayFolds } from './live-days'
import type { SeedCounts } from './review-seed'
import { SEED_SOURCE, seedReviewHistory } from './review-seed'
import { ReviewService } from './review-service'

const city = loadCity('dongguan')
const calendar = loadWorkingCalendar()
/** A Wednesday afternoon: two whole days before it (Monday, Tuesday: working days) and its hours up to 15:00. */
const UNTIL = Date.parse('2026-11-18T15:20:00+08:00')
const FULL_DAY = '2026-11-17'
const CALLS_PER_DAY = 150
/** KPIs per hour: the AQI and stations per level, the TPI and km per grade, hall queues and ratings (+ the mean wait while a hall is open). */
const KPIS_PER_HOUR = 1 + 6 + 1 + 5 + 2

interface Target { db: Kysely<Database>, store: Store, dispose: () => Promise<void> }

async function sqliteTarget(): Promise<Target> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-seed-'))
  const sqlite = new SQLite(join(dir, 'ioc.sqlite'))
  sqlite.pragma('journal_mode = WAL')
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) })
  await migrate(db)
  return { db, store: storeOver(db), dispose: async () => {
    await db.destroy()
    rmSync(dir, { recursive: true, force: true })
  } }
}

async function postgresTarget(): Promise<Target> {
  const schema = `ioc_test_${randomBytes(6).toString('hex')}`
  const admin = async (statement: string): Promise<void> => {
    const client = new pg.Client({ connectionString: PG_TEST_URL })
    await client.connect()
    await client.query(statement).finally(() => client.end())
  }
  await admin(`create schema "${schema}"`)
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: PG_TEST_URL, max: 2 }),
      onCreateConnection: async (conn: DatabaseConnection) => {
        await conn.executeQuery(CompiledQuery.raw(`set search_path to "${schema}"`))
      },
    }),
  })
  await migrate(db, schema)
  return { db, store: storeOver(db), dispose: async () => {
    await db.destroy()
    await admin(`drop schema if exists "${schema}" cascade`)
  } }
}

const pgProblem = await postgresProblem(PG_TEST_URL)
if (pgProblem !== undefined && !process.env.CI)
  console.warn(`[review-seed] PostgreSQL at ${redacted(PG_TEST_URL)} is not reachable (${pgProblem}): the postgres half is SKIPPED.`)
const targets: Array<[string, () => Promise<Target>]> = [['sqlite', sqliteTarget], ...(pgProblem === undefined || process.env.CI ? [['postgres', postgresTarget] as [string, () => Promise<Target>]] : [])]

describe.each(targets)('%s: seeded review history', (_name, open) => {
  let target: Target
  let counts: SeedCounts
  beforeAll(async () => {
    target = await open()
    counts = await seedReviewHistory(target.db, { city, calendar, until: UNTIL, days: 2, callsPerDay: CALLS_PER_DAY, seed: 7 })
  }, 240_000)
  afterAll(() => target?.dispose())

  it('writes every series for every hour up to now, as ingest keys them', async () => {
    // Monday and Tuesday whole, Wednesday 00:00–15:00 (15 hours begun before 15:20 end before it, the 15:00 one not yet).
    const hours = 24 + 24 + 15
    const rows = await target.db.selectFrom('rollup_hour').select(eb => ['kind', eb.fn.countAll<number>().as('n')]).groupBy('kind').execute()
    const byKind = Object.fromEntries(rows.map(r => [r.kind, Number(r.n)]))
    expect(byKind).toMatchObject({
      air: hours * 8 * city.airStations.length,
      traffic: hours * (city.roads.length + 1 + city.towns.length),
      hall: hours * 8 * city.halls.length,
    })
    expect(byKind.kpi).toBeGreaterThan(hours * KPIS_PER_HOUR)
    expect(byKind.kpi).toBeLessThanOrEqual(hours * (KPIS_PER_HOUR + 1))
    expect(counts.hours).toBe(Object.values(byKind).reduce((a, b) => a + b, 0))
    const last = await target.db.selectFrom('rollup_hour').select(eb => eb.fn.max('hour').as('last')).executeTakeFirstOrThrow()
    expect(last.last).toBe('2026-11-18T06:00:00.000Z') // 14:00 local
  })

  it('keeps the halls\' day counters rising within each local day and back to zero at midnight', async () => {
    const rows = await target.db.selectFrom('rollup_hour').select(['entity_id', 'metric', 'hour', 'min', 'max'])
      .where('kind', '=', 'hall').where(eb => eb.or([eb('metric', '=', 'ticketsToday'), eb('metric', 'like', 'ratings.%')]))
      .orderBy('entity_id').orderBy('metric').orderBy('hour').execute()
    let held: { key: string, day: string, max: number } | undefined
    let dayTotals = 0
    for (const r of rows) {
      const key = `${r.entity_id}|${r.metric}`
      const day = localDate(r.hour)
      expect(r.min).toBeLessThanOrEqual(r.max)
      if (held?.key === key && held.day === day)
        expect(r.min).toBe(held.max)
      else
        expect(r.min).toBe(0)
      held = { key, day, max: r.max }
      if (r.metric === 'ticketsToday' && localHourOf(r.hour) === 23 && day === FULL_DAY)
        dayTotals += r.max
    }
    // Tuesday, a working day: every hall served people (tens of thousands across the city).
    expect(dayTotals).toBeGreaterThan(10_000)
  })

  it('gives the air its afternoon ozone and the roads their rush hours', async () => {
    const mean = async (kind: string, entity: string | null, metric: string, localHour: number): Promise<number> => {
      let q = target.db.selectFrom('rollup_hour').select(['sum', 'n']).where('kind', '=', kind).where('metric', '=', metric)
        .where('hour', '=', new Date(Date.parse(`${FULL_DAY}T00:00:00+08:00`) + localHour * 3_600_000).toISOString())
      if (entity !== null)
        q = q.where('entity_id', '=', entity)
      const rows = await q.execute()
      return rows.reduce((a, r) => a + r.sum / r.n, 0) / rows.length
    }
    expect(await mean('air', null, 'o3', 15)).toBeGreaterThan(2 * await mean('air', null, 'o3', 5))
    const aqi = await target.db.selectFrom('rollup_hour').select(eb => [eb.fn.min('min').as('lo'), eb.fn.max('max').as('hi')]).where('kind', '=', 'air').where('metric', '=', 'aqi').executeTakeFirstOrThrow()
    expect(Number(aqi.lo)).toBeGreaterThan(0)
    expect(Number(aqi.hi)).toBeLessThan(300)
    expect(await mean('traffic', CITY, 'tpi', 8)).toBeGreaterThan(await mean('traffic', CITY, 'tpi', 3) + 2)
    expect(await mean('kpi', 'traffic.tpi', 'value', 8)).toBeCloseTo(await mean('traffic', CITY, 'tpi', 8), 6)
  })

  it('makes valid incidents and work orders whose timelines are in order and match their orders', async () => {
    expect(counts.orders).toBeGreaterThan(CALLS_PER_DAY)
    const orders = await target.db.selectFrom('work_orders').selectAll().execute()
    expect(orders).toHaveLength(counts.orders)
    const events = await target.db.selectFrom('work_order_events').selectAll().orderBy('order_id').orderBy('seq').execute()
    expect(events).toHaveLength(counts.events)
    const byOrder = new Map<string, typeof events>()
    for (const e of events)
      byOrder.set(e.order_id, [...(byOrder.get(e.order_id) ?? []), e])
    const states = new Map<string, number>()
    const actions = new Set<string>()
    for (const row of orders) {
      const order = WorkOrder.parse(JSON.parse(row.doc))
      expect(row.state).toBe(order.state)
      states.set(order.state, (states.get(order.state) ?? 0) + 1)
      const timeline = (byOrder.get(order.id) ?? []).map(e => WorkOrderEvent.parse(JSON.parse(e.event)))
      expect(timeline.map(e => e.seq)).toEqual(timeline.map((_, i) => i + 1))
      expect(row.event_count).toBe(timeline.length)
      expect(timeline[0]?.action).toBe('create')
      expect(timeline.at(-1)?.to).toBe(order.state)
      for (const [i, e] of timeline.entries()) {
        actions.add(e.action)
        if (i > 0)
          expect(e.at >= (timeline[i - 1]?.at ?? '')).toBe(true)
        expect(Date.parse(e.at)).toBeLessThan(UNTIL)
      }
      if (order.signedAt !== null)
        expect(order.signedAt >= (order.dispatchedAt ?? order.acceptedAt)).toBe(true)
      if (order.closedAt !== null && order.state === 'closed')
        expect(order.closedAt >= order.acceptedAt).toBe(true)
    }
    // The cycle's every turn happened somewhere, and some orders are still under way now.
    for (const action of ['create', 'answer', 'dispatch', 'sign', 'reply', 'revisit'])
      expect(actions).toContain(action)
    expect(states.get('closed')).toBeGreaterThan(0)
    expect((states.get('dispatched') ?? 0) + (states.get('in_progress') ?? 0) + (states.get('pending_revisit') ?? 0)).toBeGreaterThan(0)

    // Through the store's own reading: the incident with its order, and its timeline.
    const sample = orders[0]!
    const incident = await target.store.incidents.get(sample.id)
    expect(Incident.parse(incident)).toMatchObject({ source: SEED_SOURCE, handling: { id: sample.id, state: sample.state } })
    expect(incident?.status).toBe(sample.state === 'closed' ? 'closed' : 'open')
    expect(await target.store.workOrders.timeline(sample.id)).toHaveLength(sample.event_count)
    expect(await target.store.incidents.versions(sample.id)).toHaveLength(1)
  })

  it('folds a day in progress hour by hour to the rows of folding it whole', async () => {
    let now = 0
    const folder = new DayFolder({ review: target.store.review, city, calendar, now: () => now, intervalMs: 60_000, onError: (err) => { throw err } })
    const whole = async (day: string, until: number): Promise<DayRow[]> => {
      const folds = newDayFolds(day, { review: target.store.review, city, calendar })
      await foldStored(folds, target.store.review, Date.parse(`${day}T00:00:00+08:00`), until)
      return [...folds.telemetry.rows(), ...folds.orders.rows()]
    }
    // Float sums in another order differ in the last bits.
    const comparable = (rows: readonly DayRow[]): string[] => rows.map(r => `${r.kind}|${r.entityId}|${r.metric}|${r.n}|${r.sum.toFixed(6)}|${r.min.toFixed(6)}|${r.max.toFixed(6)}`).sort()
    const today = localDate(UNTIL)
    let checked = 0
    for (now = Date.parse(`${today}T00:10:00+08:00`); now <= UNTIL; now += 47 * 60_000) {
      const live = await folder.rowsOf(today, now)
      expect(comparable(live)).toEqual(comparable(await whole(today, now)))
      // Yesterday up to this time of day, the comparison's other half.
      const before = await folder.rowsOf(FULL_DAY, now - 86_400_000)
      expect(comparable(before)).toEqual(comparable(await whole(FULL_DAY, now - 86_400_000)))
      checked += live.length
    }
    expect(checked).toBeGreaterThan(10_000)
  }, 120_000)

  it('folds a seeded day into sane measures', async () => {
    const folder = new DayFolder({ review: target.store.review, city, calendar, now: () => UNTIL, intervalMs: 60_000, onError: (err) => { throw err } })
    await folder.fold(FULL_DAY)
    const day = await target.store.review.days({ kind: DAY_KINDS.airArea, from: FULL_DAY, to: FULL_DAY, entityIds: [CITY] })
    expect(day.map(r => r.n)).toEqual(day.map(() => 24))
    const grades = await target.store.review.totals({ kind: DAY_KINDS.trafficGrade, from: FULL_DAY, to: FULL_DAY, entityIds: [CITY] })
    expect(grades.find(t => t.metric === 'hours')?.sum).toBe(24)
    // Each grade's length-hours add up to the network's length over the day.
    const network = city.roads.reduce((a, r) => a + r.lengthKm, 0)
    expect(grades.filter(t => t.metric.startsWith('kmHours.')).reduce((a, t) => a + t.sum, 0)).toBeCloseTo(24 * network, 3)
    expect(grades.find(t => t.metric === 'kmHours.severe')?.sum ?? 0).toBeGreaterThan(0)

    const service = new ReviewService({ review: target.store.review, city, folder, now: () => UNTIL })
    const page = await service.page({ scope: 'city', range: '7d' })
    expect(page.air?.validDays.value).toBe(2)
    expect(page.air?.aqiMean.value).toBeGreaterThan(10)
    expect(page.traffic?.tpiMean.value).toBeGreaterThan(0.5)
    expect(page.traffic?.peakTpi.value).toBeGreaterThan(page.traffic?.tpiMean.value ?? 0)
    expect(page.halls?.visitors.value).toBeGreaterThan(10_000)
    expect(page.halls?.goodRate.value).toBeGreaterThan(0.9)
    const reported = await target.db.selectFrom('incidents').select(eb => eb.fn.countAll<number>().as('n'))
      .where('reported_at', '<', new Date(Date.parse('2026-11-18T00:00:00+08:00')).toISOString()).executeTakeFirstOrThrow()
    const counts = page.hotline.counts
    expect(counts.accepted).toBe(Number(reported.n))
    expect(counts.closed).toBeGreaterThan(0)
    expect(counts.resolved).toBeLessThanOrEqual(counts.closed)
    expect(counts.signedOnTime).toBeLessThanOrEqual(counts.signed)
    expect(page.hotline.departments.length).toBeGreaterThan(5)
  }, 120_000)
})

/** Pairs of calls closer than `km` to each other, per pair of calls: how clustered a set of places is. */
function closePairShare(points: readonly { lng: number, lat: number }[], km: number): number {
  let close = 0
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i]!
      const b = points[j]!
      if (Math.hypot((a.lng - b.lng) * 102.5, (a.lat - b.lat) * 111.2) < km)
        close++
    }
  }
  return close / Math.max(1, (points.length * (points.length - 1)) / 2)
}

describe('the seeder', () => {
  /** A morning of calls (and its hours) into a fresh SQLite file: its hourly rows and its incidents. */
  const morning = async (): Promise<{ hours: unknown[], incidents: Incident[] }> => {
    const target = await sqliteTarget()
    try {
      await seedReviewHistory(target.db, { city, calendar, until: Date.parse('2026-11-16T12:00:00+08:00'), days: 0, orderDays: 1, callsPerDay: 3000, seed: 11 })
      const hours = await target.db.selectFrom('rollup_hour').selectAll().orderBy(['kind', 'metric', 'hour', 'entity_id']).execute()
      const rows = await target.db.selectFrom('incidents').select('incident').orderBy('id').execute()
      return { hours, incidents: rows.map(r => JSON.parse(r.incident) as Incident) }
    }
    finally {
      await target.dispose()
    }
  }

  it('writes the same history for the same seed, with complaints clustered in a few places', async () => {
    const [a, b] = [await morning(), await morning()]
    expect(a).toEqual(b)
    expect(a.incidents.length).toBeGreaterThan(300)
    // Complaints and reports come back to a few places (hotspots); consultations are spread over the towns.
    const placesOf = (natures: readonly string[]): { lng: number, lat: number }[] => a.incidents.filter(i => natures.includes(i.nature)).flatMap(i => (i.location ? [i.location] : []))
    const complaints = closePairShare(placesOf(['complaint', 'report']), 0.3)
    const consults = closePairShare(placesOf(['consult']), 0.3)
    expect(complaints).toBeGreaterThan(3 * consults)
  }, 120_000)
})
