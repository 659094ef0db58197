/**
 * `npm run bench:review` (issue 9 §6): the leaders' review over a city's
 * history. For SQLite (a temporary file) and PostgreSQL (a fresh schema of
 * IOC_TEST_DATABASE_URL): seeds 400 days of hourly rollups of every
 * segment, station, town and hall and a year of 12345 work at 6,000 calls a
 * day (server/review/review-seed.ts), folds every finished day with the
 * DayFolder, then times ReviewService.page for the city, a town and a
 * department over each range, ≥ 20 runs after a warm-up. Target: p95 under
 * 300 ms per page. Exits non-zero on errors only, never on a missed target.
 *
 *   --days 400  --calls-per-day 6000  --store sqlite|postgres|both  --runs 20
 *   --keep  (keep the seeded database)  --reuse FILE|SCHEMA  (time a kept one again)  --refold  (and fold its days again)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import type { Kysely } from 'kysely'
import { sql } from 'kysely'
import pg from 'pg'
import { localDate } from '@shared/calendar/working-days'
import { addDays, daysOf } from '@shared/review/periods'
import type { ReviewQuery } from '@shared/schemas/review'
import { loadCity } from '@server/city'
import { loadWorkingCalendar } from '@server/city/calendar'
import { DayFolder } from '@server/review/day-folder'
import type { SeedCounts } from '@server/review/review-seed'
import { seedReviewHistory } from '@server/review/review-seed'
import { ReviewService } from '@server/review/review-service'
import { migrate, storeOver } from '@server/store/kysely-store'
import { openPostgresDb } from '@server/store/postgres'
import type { Store } from '@server/store/repositories'
import type { Database } from '@server/store/schema'
import { openSqliteDb } from '@server/store/sqlite'
import { PG_TEST_URL, postgresProblem, redacted } from '@server/store/store.backends'
import { fmt, percentile, table } from './lib'

const { values: args } = parseArgs({
  options: {
    'days': { type: 'string', default: '400' },
    'calls-per-day': { type: 'string', default: '6000' },
    'store': { type: 'string', default: 'both' },
    'runs': { type: 'string', default: '20' },
    'keep': { type: 'boolean', default: false },
    'reuse': { type: 'string' },
    'refold': { type: 'boolean', default: false },
  },
})
const DAYS = Number(args.days)
const CALLS_PER_DAY = Number(args['calls-per-day'])
const RUNS = Math.max(1, Number(args.runs))
const STORES = args.store === 'both' ? ['sqlite', 'postgres'] as const : [args.store as 'sqlite' | 'postgres']
/** Keep the seeded database (a SQLite file, a PostgreSQL schema) for `--reuse`, which times its pages again without seeding or folding. */
const KEEP = args.keep
const REUSE = args.reuse
/** With --reuse: fold every day again from scratch (after a change to what a day's fold holds). */
const REFOLD = args.refold
if (REUSE !== undefined && STORES.length !== 1)
  throw new Error('--reuse names one database: give --store sqlite (a file) or --store postgres (a schema)')
/** A year of orders inside the telemetry's days. */
const ORDER_DAYS = Math.min(DAYS, 365)
/** The benchmark's "now": a Wednesday afternoon (the calendar knows 2026's holidays). */
const NOW = Date.parse('2026-11-18T15:20:00+08:00')
const TARGET_MS = 300

const city = loadCity('dongguan')
const calendar = loadWorkingCalendar()

/**
 * `reused`: the database of an earlier `--keep` run, already seeded and folded.
 * `dispose` removes it unless it is to be kept.
 */
interface Opened { db: Kysely<Database>, store: Store, reused: boolean, bytes: (table: string) => Promise<number>, dispose: () => Promise<void> }

async function openSqlite(): Promise<Opened> {
  const file = REUSE ?? join(mkdtempSync(join(tmpdir(), 'ioc-bench-review-')), 'ioc.sqlite')
  // As the server opens it (server/store/sqlite.ts).
  const { db, sqlite } = openSqliteDb(file)
  await migrate(db)
  return {
    db,
    store: storeOver(db),
    reused: REUSE !== undefined,
    // dbstat is not compiled into better-sqlite3's SQLite: a table's size is the growth of the used pages while it fills (see runStore).
    bytes(name) {
      if (name !== '*')
        return Promise.resolve(Number.NaN)
      const pages = sqlite.pragma('page_count', { simple: true }) as number
      const free = sqlite.pragma('freelist_count', { simple: true }) as number
      return Promise.resolve((pages - free) * (sqlite.pragma('page_size', { simple: true }) as number))
    },
    async dispose() {
      await db.destroy()
      if (KEEP)
        console.log(`sqlite: kept ${file} (--reuse ${file} --store sqlite)`)
      else if (REUSE === undefined)
        rmSync(dirname(file), { recursive: true, force: true })
    },
  }
}

async function openPostgres(): Promise<Opened> {
  const schema = REUSE ?? `ioc_bench_review_${Date.now().toString(36)}`
  const admin = new pg.Client({ connectionString: PG_TEST_URL })
  await admin.connect()
  await admin.query(`create schema if not exists "${schema}"`)
  await admin.end()
  // As the server opens it (server/store/postgres.ts).
  const db = openPostgresDb(PG_TEST_URL, { schema, max: 4 })
  await migrate(db, schema)
  return {
    db,
    store: storeOver(db),
    reused: REUSE !== undefined,
    async bytes(name) {
      const { rows } = name === '*'
        ? await sql<{ bytes: string }>`select sum(pg_total_relation_size(c.oid)) as bytes from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${schema} and c.relkind = 'r'`.execute(db)
        : await sql<{ bytes: string }>`select pg_total_relation_size(${`"${schema}".${name}`}::regclass) as bytes`.execute(db)
      return Number(rows[0]?.bytes ?? 0)
    },
    async dispose() {
      await db.destroy()
      if (KEEP) {
        console.log(`postgres: kept schema ${schema} (--reuse ${schema} --store postgres)`)
        return
      }
      if (REUSE !== undefined)
        return
      const drop = new pg.Client({ connectionString: PG_TEST_URL })
      await drop.connect()
      await drop.query(`drop schema if exists "${schema}" cascade`)
      await drop.end()
    },
  }
}

/**
 * `fresh`: each run on a new service and folder after the folder's first pass, as the first page after a server start.
 * `stepMs`: the clock moves on this much before each run, as on a running server (today's settled hours are folded once).
 */
interface PageCase { label: string, query: ReviewQuery, fresh?: boolean, stepMs?: number }
interface PageFigures { label: string, firstMs: number, p50: number, p95: number, max: number }
interface StoreFigures {
  store: string
  seedS: number
  seeded: SeedCounts
  dbBytes: number
  foldDays: number
  foldTotalS: number
  foldPerDay: { p50: number, p95: number, max: number }
  startPassMs: number
  dayRows: number
  dayBytes: number
  pages: PageFigures[]
}

const ms = (from: number): number => performance.now() - from

function pageCases(town: string, department: string): PageCase[] {
  const today = localDate(NOW)
  const out: PageCase[] = []
  const custom = { range: 'custom' as const, from: addDays(today, -365), to: addDays(today, -1) }
  for (const [name, range] of [['today', { range: 'today' }], ['7d', { range: '7d' }], ['30d', { range: '30d' }], ['quarter', { range: 'quarter' }], ['custom 365 d', custom]] as const)
    out.push({ label: `city × ${name}`, query: { scope: 'city', ...range } })
  out.push({ label: 'city × today, 3 min later each', query: { scope: 'city', range: 'today' }, stepMs: 3 * 60_000 })
  out.push({ label: 'city × today, new server each', query: { scope: 'city', range: 'today' }, fresh: true })
  for (const range of ['7d', 'quarter'] as const)
    out.push({ label: `town ${town} × ${range}`, query: { scope: `town:${town}`, range } })
  for (const range of ['7d', 'quarter'] as const)
    out.push({ label: `dept ${department} × ${range}`, query: { scope: `dept:${department}`, range } })
  return out
}

async function runStore(name: 'sqlite' | 'postgres'): Promise<StoreFigures> {
  const opened = name === 'sqlite' ? await openSqlite() : await openPostgres()
  try {
    const { db, store } = opened
    const log = (line: string): void => console.error(`${name}: ${line}`)
    let started = performance.now()
    let lastLog = 0
    const seeded = opened.reused
      ? await countSeeded(db)
      : await seedReviewHistory(db, {
        city,
        calendar,
        until: NOW,
        days: DAYS,
        orderDays: ORDER_DAYS,
        callsPerDay: CALLS_PER_DAY,
        onDay: (day, t) => {
          if (performance.now() - lastLog > 15_000) {
            lastLog = performance.now()
            log(`seeded to ${day}: ${fmt(t.hours)} hourly rows, ${fmt(t.orders)} orders, ${fmt(t.events)} timeline entries (${fmt(ms(started) / 1000)} s)`)
          }
        },
      })
    const seedS = opened.reused ? Number.NaN : ms(started) / 1000
    log(opened.reused ? `reused: not seeded${REFOLD ? '' : ' or folded'} again` : `seeded in ${fmt(seedS, 1)} s`)
    if (name === 'postgres' && !opened.reused)
      await sql`analyze`.execute(db)

    if (REFOLD) {
      // From scratch, as a first fold: folding each day again over its built spans would sum its month again every day.
      for (const table of ['rollup_day', 'rollup_span', 'review_spans', 'review_folds'] as const)
        await db.deleteFrom(table).execute()
    }
    const bytesBeforeFold = await opened.bytes('*')
    let clock = NOW
    const newFolder = (): DayFolder => new DayFolder({ review: store.review, city, calendar, now: () => clock, intervalMs: 60_000, onError: err => console.error(err) })
    const folder = newFolder()
    const days = daysOf(addDays(localDate(NOW), -DAYS), addDays(localDate(NOW), -1))
    const foldMs: number[] = []
    started = performance.now()
    for (const day of opened.reused && !REFOLD ? [] : days) {
      const t = performance.now()
      await folder.fold(day)
      foldMs.push(ms(t))
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now()
        log(`folded to ${day} (${fmt(ms(started) / 1000)} s)`)
      }
    }
    const foldTotalS = ms(started) / 1000
    // The days before the history (a 365-day period's previous one) have nothing to fold: recorded as folded
    // and empty, as the page's own fold of them would, without timing the drill-index scans that fold costs.
    for (const day of opened.reused ? [] : daysOf(addDays(localDate(NOW), -2 * 366), addDays(localDate(NOW), -DAYS - 1)))
      await store.review.saveDay(day, [], new Date(NOW).toISOString())
    if (name === 'postgres' && (!opened.reused || REFOLD))
      await sql`analyze`.execute(db)
    const dayRows = Number((await db.selectFrom('rollup_day').select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)

    // The busiest town and department of the year's orders.
    const town = (await db.selectFrom('work_orders').select(['town_code', eb => eb.fn.countAll().as('n')]).where('town_code', 'is not', null).groupBy('town_code').orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow()).town_code ?? ''
    const department = (await db.selectFrom('work_orders').select(['department_id', eb => eb.fn.countAll().as('n')]).groupBy('department_id').orderBy('n', 'desc').limit(1).executeTakeFirstOrThrow()).department_id
    const newService = (by = folder): ReviewService => new ReviewService({ review: store.review, city, folder: by, now: () => clock })
    const service = newService()
    const pages: PageFigures[] = []
    /** The folder's first pass on a new server: nothing due but today and yesterday so far. */
    const startPassMs: number[] = []
    for (const c of pageCases(town, department)) {
      // A moving clock ends its runs at NOW, where the seeded history ends.
      clock = NOW - (c.stepMs ?? 0) * (RUNS + 1)
      let t = performance.now()
      await service.page(c.query)
      const firstMs = ms(t)
      const times: number[] = []
      for (let i = 0; i < RUNS; i++) {
        clock += c.stepMs ?? 0
        let by = service
        if (c.fresh) {
          const started = newFolder()
          t = performance.now()
          await started.foldDue()
          startPassMs.push(ms(t))
          by = newService(started)
        }
        t = performance.now()
        await by.page(c.query)
        times.push(ms(t))
      }
      pages.push({ label: c.label, firstMs, p50: percentile(times, 50), p95: percentile(times, 95), max: Math.max(...times) })
      log(`${c.label}: first ${fmt(firstMs)} ms, p50 ${fmt(percentile(times, 50))} ms, p95 ${fmt(percentile(times, 95))} ms`)
    }
    return {
      store: name,
      seedS,
      seeded,
      dbBytes: await opened.bytes('*'),
      foldDays: foldMs.length,
      foldTotalS,
      foldPerDay: { p50: percentile(foldMs, 50), p95: percentile(foldMs, 95), max: Math.max(...foldMs) },
      startPassMs: percentile(startPassMs, 50),
      dayRows,
      // SQLite: the pages the folds added (rollup_day, its index and review_folds); PostgreSQL: the table with its indexes.
      dayBytes: name === 'sqlite' ? await opened.bytes('*') - bytesBeforeFold : await opened.bytes('rollup_day'),
      pages,
    }
  }
  finally {
    await opened.dispose()
  }
}

/** What a kept database holds, for a run that reuses it. */
async function countSeeded(db: Kysely<Database>): Promise<SeedCounts> {
  const count = async (table: 'rollup_hour' | 'incidents' | 'work_orders' | 'work_order_events'): Promise<number> =>
    Number((await db.selectFrom(table).select(eb => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)
  return { hours: await count('rollup_hour'), incidents: await count('incidents'), orders: await count('work_orders'), events: await count('work_order_events') }
}

const mb = (bytes: number): string => (Number.isNaN(bytes) ? 'n/a' : `${fmt(bytes / 2 ** 20, 1)} MB`)

function report(runs: StoreFigures[]): string {
  const setup: Array<[string, (f: StoreFigures) => string]> = [
    ['seed time', f => (Number.isNaN(f.seedS) ? 'reused' : `${fmt(f.seedS, 1)} s`)],
    ['hourly rollup rows', f => fmt(f.seeded.hours)],
    ['incidents = work orders', f => fmt(f.seeded.orders)],
    ['timeline entries', f => fmt(f.seeded.events)],
    ['database size', f => mb(f.dbBytes)],
    ['days folded', f => fmt(f.foldDays)],
    ['fold, total', f => (f.foldDays === 0 ? 'reused' : `${fmt(f.foldTotalS, 1)} s`)],
    ['fold per day p50 / p95 / max', f => (f.foldDays === 0 ? 'reused' : `${fmt(f.foldPerDay.p50)} / ${fmt(f.foldPerDay.p95)} / ${fmt(f.foldPerDay.max)} ms`)],
    ['first pass on a new server (p50)', f => `${fmt(f.startPassMs)} ms`],
    ['rollup_day rows', f => fmt(f.dayRows)],
    ['rollup_day size (table + indexes)', f => mb(f.dayBytes)],
  ]
  const first = table(['figure', ...runs.map(r => r.store)], setup.map(([label, value]) => [label, ...runs.map(value)]))
  const labels = runs[0]?.pages.map(p => p.label) ?? []
  const pageRows = labels.map(label => [label, ...runs.flatMap((r) => {
    const p = r.pages.find(x => x.label === label)
    return p ? [fmt(p.firstMs), fmt(p.p50), fmt(p.p95), fmt(p.max), p.p95 < TARGET_MS ? 'yes' : 'NO'] : ['—', '—', '—', '—', '—']
  })])
  const headers = ['page (ms)', ...runs.flatMap(r => [`${r.store} first`, 'p50', 'p95', 'max', `p95<${TARGET_MS}`])]
  return `${first}\n\n${table(headers, pageRows)}`
}

async function main(): Promise<void> {
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}`)
  console.log(`Dongguan: ${fmt(city.roads.length)} segments, ${city.airStations.length} stations, ${city.towns.length} towns, ${city.halls.length} halls; ${DAYS} days of hourly rollups and ${ORDER_DAYS} days of 12345 work at ${fmt(CALLS_PER_DAY)} calls a day up to ${new Date(NOW).toISOString()}; ${RUNS} runs per page after one warm-up\n`)
  const runs: StoreFigures[] = []
  for (const name of STORES) {
    if (name === 'postgres') {
      const problem = await postgresProblem(PG_TEST_URL)
      if (problem) {
        console.log(`postgres: SKIPPED, PostgreSQL at ${redacted(PG_TEST_URL)} is not reachable (${problem})`)
        continue
      }
    }
    runs.push(await runStore(name))
  }
  console.log(report(runs))
  console.log(`\n"first" is the warm-up run: it folds on the spot any day of the period or the one before it that was not folded (the days before the history are recorded as empty folds beforehand), and today's hours (and yesterday's up to this time) are folded once each, 15 min after their end (server/review/live-days.ts): "3 min later each" times a running server, "new server each" the first page after a start, once the folder's first pass has folded both days so far.`)
}

await main()
