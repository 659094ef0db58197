import type { Expression, ExpressionBuilder, Kysely } from 'kysely'
import { chunks, onePerKey, ROWS_PER_STATEMENT } from './batches'
import type { HistoryRepository, LatestReading, RollupSample, TelemetryRepository } from './repositories'
import type { Database } from './schema'

const HOUR_MS = 3_600_000
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

interface Bucket { kind: string, entity_id: string, metric: string, hour: string, n: number, sum: number, min: number, max: number }

/** Folds samples into one bucket per (kind, entity, metric, hour) before they touch the database. */
function bucketsOf(samples: readonly RollupSample[]): Bucket[] {
  const buckets = new Map<string, Bucket>()
  for (const s of samples) {
    const hour = new Date(Math.floor(Date.parse(s.observedAt) / HOUR_MS) * HOUR_MS).toISOString()
    const key = `${s.kind}\u0000${s.entityId}\u0000${s.metric}\u0000${hour}`
    const b = buckets.get(key)
    if (b) {
      b.n += 1
      b.sum += s.value
      b.min = Math.min(b.min, s.value)
      b.max = Math.max(b.max, s.value)
    }
    else {
      buckets.set(key, { kind: s.kind, entity_id: s.entityId, metric: s.metric, hour, n: 1, sum: s.value, min: s.value, max: s.value })
    }
  }
  // Key order: concurrent writers on PostgreSQL lock the rows in one order (see onePerKey).
  return [...buckets.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, b]) => b)
}

type RollupBuilder = ExpressionBuilder<Database & { excluded: Database['rollup_hour'] }, 'rollup_hour' | 'excluded'>

/**
 * The smaller (or larger) of the held and the incoming bound. A CASE rather
 * than SQLite's scalar min()/max() or PostgreSQL's LEAST()/GREATEST(): both
 * dialects read it the same.
 */
function bound(eb: RollupBuilder, column: 'min' | 'max'): Expression<number> {
  const held = eb.ref(`rollup_hour.${column}`)
  const incoming = eb.ref(`excluded.${column}`)
  return eb.case().when(incoming, column === 'min' ? '<' : '>', held).then(incoming).else(held).end()
}

export function createHistoryRepository(db: Kysely<Database>): HistoryRepository {
  return {
    async add(samples) {
      const buckets = bucketsOf(samples)
      if (buckets.length === 0)
        return
      await db.transaction().execute(async (trx) => {
        for (const part of chunks(buckets, ROWS_PER_STATEMENT)) {
          await trx.insertInto('rollup_hour').values(part)
            .onConflict(oc => oc.columns(['kind', 'entity_id', 'metric', 'hour']).doUpdateSet(eb => ({
              n: eb('rollup_hour.n', '+', eb.ref('excluded.n')),
              sum: eb('rollup_hour.sum', '+', eb.ref('excluded.sum')),
              min: bound(eb, 'min'),
              max: bound(eb, 'max'),
            })))
            .execute()
        }
      })
    },

    async query({ kind, entityId, metric, from, to }) {
      const rows = await db.selectFrom('rollup_hour').selectAll()
        .where('kind', '=', kind).where('entity_id', '=', entityId).where('metric', '=', metric)
        .where('hour', '>=', from).where('hour', '<', to)
        .orderBy('hour').execute()
      return rows.map(r => ({ kind, entityId, metric, hour: r.hour, n: r.n, mean: r.sum / r.n, min: r.min, max: r.max }))
    },

    async prune(before) {
      await db.deleteFrom('rollup_hour').where('hour', '<', before).execute()
    },
  }
}
