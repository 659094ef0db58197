import type { Kysely, RawBuilder, Transaction } from 'kysely'
import { sql } from 'kysely'
import { chunks, onePerKey, ROWS_PER_STATEMENT } from './batches'
import type { HistoryRepository, LatestReading, RollupResolution, RollupSample, TelemetryRepository } from './repositories'
import type { Database } from './schema'

const WIDTH_MS: Record<RollupResolution, number> = { minute: 60_000, hour: 3_600_000 }
/**
 * Retention deletes this much time per statement (~20,000 minute rows, ~50,000
 * hour rows for Dongguan), so that catching up on days (a shortened
 * retention, a long stop) never holds the ingest's writes for long.
 */
const PRUNE_SLICE_MS: Record<RollupResolution, number> = { minute: 10 * 60_000, hour: 24 * 3_600_000 }
const newer = (held: LatestReading, next: LatestReading): boolean => held.observedAt < next.observedAt

export function createTelemetryRepository(db: Kysely<Database>): TelemetryRepository {
  return {
    async saveLatest(kind, readings) {
      for (const part of chunks(onePerKey(readings, r => r.entityId, newer), ROWS_PER_STATEMENT)) {
        await db.insertInto('telemetry_latest')
          .values(part.map(r => ({ kind, entity_id: r.entityId, observed_at: r.observedAt, reading: JSON.stringify(r.reading) })))
          .onConflict(oc => oc.columns(['kind', 'entity_id']).doUpdateSet(eb => ({
            observed_at: eb.ref('excluded.observed_at'),
            reading: eb.ref('excluded.reading'),
          // ISO instants in UTC compare as text; late data never overwrites newer state.
          })).where('telemetry_latest.observed_at', '<', eb => eb.ref('excluded.observed_at')))
          .execute()
      }
    },

    async latest(kind) {
      const rows = await db.selectFrom('telemetry_latest').select(['entity_id', 'observed_at', 'reading']).where('kind', '=', kind).execute()
      return rows.map(r => ({ entityId: r.entity_id, observedAt: r.observed_at, reading: JSON.parse(r.reading) as unknown }))
    },
  }
}

interface Bucket { kind: string, entity_id: string, metric: string, start: string, n: number, sum: number, min: number, max: number }

/** Folds samples into one bucket per (kind, entity, metric, bucket start) before they touch the database. */
function bucketsOf(samples: readonly RollupSample[], widthMs: number): Bucket[] {
  const buckets = new Map<string, Bucket>()
  for (const s of samples) {
    const start = new Date(Math.floor(Date.parse(s.observedAt) / widthMs) * widthMs).toISOString()
    const key = `${s.kind}\u0000${s.entityId}\u0000${s.metric}\u0000${start}`
    const b = buckets.get(key)
    if (b) {
      b.n += 1
      b.sum += s.value
      b.min = Math.min(b.min, s.value)
      b.max = Math.max(b.max, s.value)
    }
    else {
      buckets.set(key, { kind: s.kind, entity_id: s.entityId, metric: s.metric, start, n: 1, sum: s.value, min: s.value, max: s.value })
    }
  }
  // Key order: concurrent writers on PostgreSQL lock the rows in one order (see onePerKey).
  return [...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, b]) => b)
}

type RollupTable = 'rollup_minute' | 'rollup_hour'

/**
 * The held bucket with the incoming one (`excluded`) folded in. Bounds are a
 * CASE rather than SQLite's scalar min()/max() or PostgreSQL's
 * LEAST()/GREATEST(): both dialects read it the same.
 */
function folded(table: RollupTable): Record<'n' | 'sum' | 'min' | 'max', RawBuilder<number>> {
  const held = (column: string): RawBuilder<number> => sql.ref<number>(`${table}.${column}`)
  const incoming = (column: string): RawBuilder<number> => sql.ref<number>(`excluded.${column}`)
  const bound = (column: 'min' | 'max'): RawBuilder<number> =>
    sql<number>`case when ${incoming(column)} ${sql.raw(column === 'min' ? '<' : '>')} ${held(column)} then ${incoming(column)} else ${held(column)} end`
  return {
    n: sql<number>`${held('n')} + ${incoming('n')}`,
    sum: sql<number>`${held('sum')} + ${incoming('sum')}`,
    min: bound('min'),
    max: bound('max'),
  }
}

const KEY = ['kind', 'entity_id', 'metric'] as const

async function upsertMinutes(trx: Transaction<Database>, part: readonly Bucket[]): Promise<void> {
  await trx.insertInto('rollup_minute').values(part.map(({ start, ...b }) => ({ ...b, minute: start })))
    .onConflict(oc => oc.columns(['minute', ...KEY]).doUpdateSet(folded('rollup_minute')))
    .execute()
}

async function upsertHours(trx: Transaction<Database>, part: readonly Bucket[]): Promise<void> {
  await trx.insertInto('rollup_hour').values(part.map(({ start, ...b }) => ({ ...b, hour: start })))
    .onConflict(oc => oc.columns([...KEY, 'hour']).doUpdateSet(folded('rollup_hour')))
    .execute()
}

/** Deletes the table's buckets before `before`, oldest first, a slice of time per statement. */
async function pruneInSlices(db: Kysely<Database>, resolution: RollupResolution, before: string): Promise<void> {
  const table = resolution === 'minute' ? 'rollup_minute' : 'rollup_hour'
  // Both tables have an index that leads with this column: min() reads one entry.
  const column = sql.ref(resolution)
  for (;;) {
    const { rows } = await sql<{ oldest: string | null }>`select min(${column}) as oldest from ${sql.table(table)}`.execute(db)
    const oldest = rows[0]?.oldest
    if (oldest == null || oldest >= before)
      return
    const sliceEnd = new Date(Date.parse(oldest) + PRUNE_SLICE_MS[resolution]).toISOString()
    await sql`delete from ${sql.table(table)} where ${column} < ${sliceEnd < before ? sliceEnd : before}`.execute(db)
  }
}

export function createHistoryRepository(db: Kysely<Database>): HistoryRepository {
  return {
    async add(samples) {
      if (samples.length === 0)
        return
      const minutes = bucketsOf(samples, WIDTH_MS.minute)
      const hours = bucketsOf(samples, WIDTH_MS.hour)
      // One transaction: one commit (one fsync under synchronous = FULL) per
      // batch, and a reader never sees a minute without its hour.
      await db.transaction().execute(async (trx) => {
        for (const part of chunks(minutes, ROWS_PER_STATEMENT))
          await upsertMinutes(trx, part)
        for (const part of chunks(hours, ROWS_PER_STATEMENT))
          await upsertHours(trx, part)
      })
    },

    async query({ resolution, kind, entityId, metric, from, to }) {
      const rows = resolution === 'minute'
        ? await db.selectFrom('rollup_minute').select(['minute as start', 'n', 'sum', 'min', 'max'])
          .where('kind', '=', kind).where('entity_id', '=', entityId).where('metric', '=', metric)
          .where('minute', '>=', from).where('minute', '<', to)
          .orderBy('minute').execute()
        : await db.selectFrom('rollup_hour').select(['hour as start', 'n', 'sum', 'min', 'max'])
          .where('kind', '=', kind).where('entity_id', '=', entityId).where('metric', '=', metric)
          .where('hour', '>=', from).where('hour', '<', to)
          .orderBy('hour').execute()
      return rows.map(r => ({ kind, entityId, metric, start: r.start, n: r.n, mean: r.sum / r.n, min: r.min, max: r.max }))
    },

    async queryAll({ resolution, kind, metric, from, to }) {
      const rows = resolution === 'minute'
        ? await db.selectFrom('rollup_minute').select(['entity_id', 'minute as start', 'n', 'sum', 'min', 'max'])
          .where('kind', '=', kind).where('metric', '=', metric).where('minute', '>=', from).where('minute', '<', to)
          .orderBy('minute').execute()
        : await db.selectFrom('rollup_hour').select(['entity_id', 'hour as start', 'n', 'sum', 'min', 'max'])
          .where('kind', '=', kind).where('metric', '=', metric).where('hour', '>=', from).where('hour', '<', to)
          .orderBy('hour').execute()
      return rows.map(r => ({ kind, entityId: r.entity_id, metric, start: r.start, n: r.n, mean: r.sum / r.n, min: r.min, max: r.max }))
    },

    async prune(before) {
      await pruneInSlices(db, 'minute', before.minute)
      await pruneInSlices(db, 'hour', before.hour)
    },
  }
}
