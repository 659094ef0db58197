/**
 * Ingest under generated input (fast-check): malformed records of every kind
 * are all dead-lettered with reasons and never disturb the valid ones; shuffled
 * and repeated telemetry ends in the same state as an oracle.
 */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { RecordKind } from '@shared/schemas/feeds'
import type { RawBatch } from '@server/feeds/types'
import type { Harness } from './ingest.support'
import { air, hall, harness, incident, KNOWN, NOW, traffic } from './ingest.support'

const MINUTE_MS = 60_000
const RUNS = 40

/** The keys each kind cannot do without, and which of them are text. */
const REQUIRED: Record<RecordKind, { keys: string[], text: string[] }> = {
  air: { keys: ['stationId', 'observedAt', 'indicators'], text: ['stationId', 'observedAt'] },
  traffic: { keys: ['segmentId', 'observedAt', 'speedKmh'], text: ['segmentId', 'observedAt'] },
  hall: { keys: ['hallId', 'observedAt', 'waiting', 'windowsOpen', 'windowsBusy', 'ticketsToday', 'servedToday', 'avgWaitMin', 'maxWaitMin', 'ratingsToday'], text: ['hallId', 'observedAt'] },
  incident: { keys: ['ticketNo', 'version', 'reportedAt', 'nature', 'topic', 'title'], text: ['ticketNo', 'version', 'reportedAt', 'nature', 'topic', 'title'] },
}
const TIME_KEYS: Record<RecordKind, string[]> = { air: ['observedAt'], traffic: ['observedAt'], hall: ['observedAt'], incident: ['version', 'reportedAt'] }

function deepNest(depth: number): unknown {
  let value: unknown = { leaf: 1 }
  for (let i = 0; i < depth; i++)
    value = { a: value }
  return value
}

/** Values that no field of any record accepts. */
const wrongValue = fc.oneof(
  fc.constantFrom<unknown>(null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, true, [], {}),
  fc.integer({ min: 2, max: 3000 }).map(deepNest),
  fc.array(fc.integer(), { minLength: 1, maxLength: 5 }),
)

type Mutation = (record: Record<string, unknown>, kind: RecordKind) => unknown

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map(i => (r: Record<string, unknown>, kind: RecordKind) => {
    const copy = { ...r }
    delete copy[REQUIRED[kind].keys[i % REQUIRED[kind].keys.length] as string]
    return copy
  }),
  fc.tuple(fc.nat(), wrongValue).map(([i, v]) => (r: Record<string, unknown>, kind: RecordKind) =>
    ({ ...r, [REQUIRED[kind].keys[i % REQUIRED[kind].keys.length] as string]: v })),
  fc.tuple(fc.nat(), fc.integer({ min: 300, max: 200_000 })).map(([i, n]) => (r: Record<string, unknown>, kind: RecordKind) =>
    ({ ...r, [REQUIRED[kind].text[i % REQUIRED[kind].text.length] as string]: 'x'.repeat(n) })),
  fc.constant((r: Record<string, unknown>) => JSON.parse(`{"__proto__": {"polluted": true}, ${JSON.stringify(r).slice(1)}`) as unknown),
  fc.string({ minLength: 1, maxLength: 20 }).map(k => (r: Record<string, unknown>) => ({ ...r, [`x-${k}`]: 1 })),
  fc.tuple(fc.nat(), fc.constantFrom('1970-01-01T00:00:00Z', '2099-01-01T00:00:00Z', new Date(NOW + 24 * 3_600_000).toISOString()))
    .map(([i, t]) => (r: Record<string, unknown>, kind: RecordKind) => ({ ...r, [TIME_KEYS[kind][i % TIME_KEYS[kind].length] as string]: t })),
  fc.constantFrom<unknown>(null, 42, 'a record', [], [1, 2]).map(v => () => v),
)

/** A valid record of a kind, unique by its index. */
function validRecord(kind: RecordKind, i: number): Record<string, unknown> {
  // Later records are newer, so that none of the valid ones is late.
  const at = new Date(NOW - (1000 - i) * 1000).toISOString()
  switch (kind) {
    case 'air': return air(KNOWN.air[i % 2] as string, at)
    case 'traffic': return traffic(KNOWN.traffic[i % 2] as string, at, 10 + i)
    case 'hall': return hall(at)
    case 'incident': return incident(`T-${i}`, at)
  }
}

const kindArb = fc.constantFrom<RecordKind>('air', 'traffic', 'hall', 'incident')

async function withHarness(run: (h: Harness) => Promise<void>): Promise<void> {
  const h = await harness()
  try {
    await run(h)
    expect(h.errors).toEqual([])
  }
  finally {
    await h.store.close()
  }
}

describe('ingest under generated input', { timeout: 120_000 }, () => {
  it('dead-letters every malformed record with reasons and accepts every valid one', async () => {
    await fc.assert(fc.asyncProperty(
      kindArb,
      fc.array(fc.tuple(fc.boolean(), mutation), { minLength: 1, maxLength: 30 }),
      async (kind, plan) => withHarness(async (h) => {
        const records = plan.map(([bad, mutate], i) => (bad ? mutate(validRecord(kind, i), kind) : validRecord(kind, i)))
        const badCount = plan.filter(([bad]) => bad).length
        const receipt = await h.ingest.push({ source: 'fuzz', kind, records })
        await h.ingest.drained()
        expect(receipt).toEqual({ accepted: records.length - badCount, rejected: badCount, duplicates: 0, late: 0 })
        const rows = await h.store.rejects.list({ limit: 500 })
        expect(rows).toHaveLength(badCount)
        for (const row of rows) {
          expect(row.reasons.length).toBeGreaterThan(0)
          for (const r of row.reasons) {
            expect(r.code).not.toBe('')
            expect(r.path).not.toBe('')
          }
          expect(row.raw.length).toBeLessThanOrEqual(4097)
        }
        expect(({} as Record<string, unknown>).polluted).toBeUndefined()
      }),
    ), { numRuns: RUNS })
  })

  it('ends shuffled, repeated, batched telemetry in the state an oracle predicts', async () => {
    const observation = fc.record({
      kind: fc.constantFrom<'air' | 'traffic'>('air', 'traffic'),
      entity: fc.nat({ max: 1 }),
      // Within the lateness window of any newer record of the entity.
      minutesAgo: fc.integer({ min: 0, max: 9 }),
    })
    await fc.assert(fc.asyncProperty(
      fc.uniqueArray(observation, { minLength: 1, maxLength: 40, selector: o => `${o.kind}/${o.entity}/${o.minutesAgo}` }),
      fc.array(fc.nat(), { maxLength: 15 }),
      fc.infiniteStream(fc.nat()),
      fc.array(fc.integer({ min: 1, max: 8 }), { minLength: 1, maxLength: 10 }),
      async (distinct, repeats, order, cuts) => withHarness(async (h) => {
        const all = [...distinct, ...repeats.map(i => distinct[i % distinct.length] as typeof distinct[number])]
        // A shuffle driven by the generated stream, so that fast-check can shrink it.
        const keys = order.take(all.length)
        const shuffled = all.map((o, i) => ({ o, k: keys.next().value as number + i / 1e6 })).sort((a, b) => a.k - b.k).map(x => x.o)
        const toRecord = (o: typeof all[number]): { kind: 'air' | 'traffic', record: unknown } => {
          const at = new Date(NOW - o.minutesAgo * MINUTE_MS).toISOString()
          return o.kind === 'air'
            ? { kind: 'air', record: air(KNOWN.air[o.entity] as string, at) }
            : { kind: 'traffic', record: traffic(KNOWN.traffic[o.entity] as string, at) }
        }
        let accepted = 0
        let duplicates = 0
        let at = 0
        for (let c = 0; at < shuffled.length; c++) {
          const part = shuffled.slice(at, at + (cuts[c % cuts.length] as number)).map(toRecord)
          at += part.length
          for (const kind of ['air', 'traffic'] as const) {
            const batch: RawBatch = { source: 'shuffle', kind, records: part.filter(p => p.kind === kind).map(p => p.record) }
            const receipt = await h.ingest.push(batch)
            accepted += receipt.accepted
            duplicates += receipt.duplicates
          }
        }
        await h.ingest.drained()
        expect(accepted).toBe(distinct.length)
        expect(duplicates).toBe(repeats.length)
        const oracle = new Map<string, number>()
        for (const o of distinct) {
          const key = `${o.kind}:${(o.kind === 'air' ? KNOWN.air : KNOWN.traffic)[o.entity]}`
          oracle.set(key, Math.min(oracle.get(key) ?? Infinity, o.minutesAgo))
        }
        expect(new Map([...h.latest].map(([k, v]) => [k, (NOW - Date.parse(v.time)) / MINUTE_MS]))).toEqual(oracle)
        expect(await h.store.rejects.count()).toBe(0)
      }),
    ), { numRuns: RUNS })
  })
})
