import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RejectedRecord } from '@shared/schemas/feeds'
import type { RawBatch } from '@server/feeds/types'
import { LATENESS_WINDOW_MS } from './ingest'
import type { Harness } from './ingest.support'
import { air, hall, harness, incident, KNOWN, NOW, pushAll, traffic } from './ingest.support'

const rejects = async (h: Harness): Promise<RejectedRecord[]> => h.store.rejects.list({ limit: 500 })

describe('ingest', () => {
  let h: Harness
  beforeEach(async () => {
    h = await harness()
  })
  afterEach(async () => {
    expect(h.errors).toEqual([])
    await h.store.close()
  })

  it('applies valid telemetry of every kind, times in UTC with Z', async () => {
    const batches: RawBatch[] = [
      { source: 'test', kind: 'air', records: [air('DG-AQ-HUMEN', '2026-11-23T09:00:00+08:00')] },
      { source: 'test', kind: 'traffic', records: [traffic('DG-R-0001', '2026-11-23T01:55:00Z')] },
      { source: 'test', kind: 'hall', records: [hall('2026-11-23T09:58:00+08:00')] },
    ]
    for (const batch of batches)
      expect(await pushAll(h, batch)).toEqual({ accepted: 1, rejected: 0, duplicates: 0, late: 0 })
    expect(h.latest.get('air:DG-AQ-HUMEN')?.time).toBe('2026-11-23T01:00:00.000Z')
    expect(h.latest.get('traffic:DG-R-0001')?.time).toBe('2026-11-23T01:55:00.000Z')
    expect(h.latest.get('hall:DG-H-CITY')?.time).toBe('2026-11-23T01:58:00.000Z')
  })

  it.each<[string, RawBatch['kind'], unknown, string, string]>([
    ['an unknown station', 'air', air('DG-AQ-ATLANTIS', '2026-11-23T01:00:00Z'), 'unknown_entity', 'stationId:unknown_entity'],
    ['an unknown segment', 'traffic', traffic('DG-R-9999', '2026-11-23T01:00:00Z'), 'unknown_entity', 'segmentId:unknown_entity'],
    ['a time ahead of the source clock', 'air', air('DG-AQ-HUMEN', '2026-11-23T02:06:00Z'), 'future', 'time:future'],
    ['a time in 1970', 'traffic', traffic('DG-R-0001', '1970-01-01T00:00:00Z'), 'too_late', 'time:too_late'],
    ['more busy windows than open', 'hall', { ...hall('2026-11-23T01:00:00Z'), windowsBusy: 11 }, 'schema', 'windowsBusy:custom'],
    ['a negative speed', 'traffic', traffic('DG-R-0001', '2026-11-23T01:00:00Z', -5), 'schema', 'speedKmh:too_small'],
    ['an incident of an unknown nature', 'incident', incident('T1', '2026-11-23T01:00:00Z', { nature: 'gossip' }), 'schema', 'nature:invalid_value'],
    ['an incident with its location as text', 'incident', incident('T1', '2026-11-23T01:00:00Z', { location: '东城' }), 'schema', 'location:invalid_type'],
  ])('dead-letters %s with its code and reason, keeping the rest of the batch', async (_what, kind, bad, code, expected) => {
    const good = kind === 'air'
      ? air('DG-AQ-CHANGAN', '2026-11-23T01:00:00Z')
      : kind === 'traffic' ? traffic('DG-R-0002', '2026-11-23T01:00:00Z') : kind === 'hall' ? hall('2026-11-23T00:30:00Z') : incident('T2', '2026-11-23T01:00:00Z')
    const receipt = await pushAll(h, { source: 'test', kind, records: [bad, good] })
    expect(receipt).toMatchObject({ accepted: 1, rejected: 1 })
    const [row] = await rejects(h)
    expect(row).toMatchObject({ source: 'test', kind, code, receivedAt: new Date(NOW).toISOString() })
    expect(row?.reasons.map(r => `${r.path}:${r.code}`)).toContain(expected)
    expect(row?.rawSha256).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.parse(row?.raw ?? 'null')).toEqual(bad)
  })

  it('drops a record seen before as a duplicate, and says so', async () => {
    const records = [air('DG-AQ-HUMEN', '2026-11-23T01:00:00Z'), air('DG-AQ-CHANGAN', '2026-11-23T01:00:00Z')]
    await pushAll(h, { source: 'test', kind: 'air', records })
    expect(await pushAll(h, { source: 'test', kind: 'air', records })).toEqual({ accepted: 0, rejected: 0, duplicates: 2, late: 0 })
    expect(h.late).toEqual([])
  })

  it('sends an older record to history, never over the newer state; past the lateness window it is dead-lettered', async () => {
    await pushAll(h, { source: 'test', kind: 'traffic', records: [traffic('DG-R-0001', '2026-11-23T01:50:00Z', 30)] })
    expect(await pushAll(h, { source: 'test', kind: 'traffic', records: [traffic('DG-R-0001', '2026-11-23T01:45:00Z', 60)] }))
      .toEqual({ accepted: 1, rejected: 0, duplicates: 0, late: 1 })
    expect(h.latest.get('traffic:DG-R-0001')?.record.speedKmh).toBe(30)
    expect(h.late.map(r => r.speedKmh)).toEqual([60])

    const beyond = new Date(Date.parse('2026-11-23T01:50:00Z') - LATENESS_WINDOW_MS - 60_000).toISOString()
    expect(await pushAll(h, { source: 'test', kind: 'traffic', records: [traffic('DG-R-0001', beyond)] })).toMatchObject({ accepted: 0, rejected: 1 })
    expect((await rejects(h))[0]?.code).toBe('too_late')
  })

  it('coalesces a batch to the newest record per entity, counting what it merged', async () => {
    const records = ['01:10', '01:30', '01:20'].map(t => traffic('DG-R-0001', `2026-11-23T${t}:00Z`))
    expect(await pushAll(h, { source: 'test', kind: 'traffic', records })).toMatchObject({ accepted: 3 })
    expect(h.latest.get('traffic:DG-R-0001')?.time).toBe('2026-11-23T01:30:00.000Z')
    expect(h.counted.at(-1)?.coalesced).toBeGreaterThanOrEqual(1)
  })

  it('hands a big batch to its handler whole, though a flush for another feed runs while it is being checked', async () => {
    // Far more records than one turn checks, so the batch yields to the event loop many times.
    const records = KNOWN.traffic.flatMap(id => Array.from({ length: 3000 }, (_, i) => traffic(id, new Date(NOW - 3_600_000 + i * 1000).toISOString())))
    let bigDone = false
    const big = h.ingest.push({ source: 'test', kind: 'traffic', records }).finally(() => bigDone = true)
    await new Promise(resolve => setImmediate(resolve))
    await h.ingest.push({ source: 'test', kind: 'air', records: [air('DG-AQ-HUMEN', '2026-11-23T01:00:00Z')] })
    for (let turn = 0; turn < 100 && !h.applies.some(a => a.kind === 'air'); turn++)
      await new Promise(resolve => setImmediate(resolve))
    expect(h.applies.map(a => a.kind)).toEqual(['air'])
    expect(bigDone).toBe(false)
    expect(await big).toMatchObject({ accepted: 6000 })
    await h.ingest.drained()
    expect(h.applies.filter(a => a.kind === 'traffic').map(a => a.entities)).toEqual([KNOWN.traffic])
  })

  it('stores an incident before the push resolves, derives its town, department and deadline', async () => {
    const receipt = await h.ingest.push({ source: 'hotline', kind: 'incident', records: [incident('GD-1', '2026-11-23T01:05:00Z')] })
    expect(receipt).toEqual({ accepted: 1, rejected: 0, duplicates: 0, late: 0 })
    // No drain: the store already has it.
    const stored = await h.store.incidents.get('hotline:GD-1')
    expect(stored).toMatchObject({ townCode: '441900003', departmentId: 'dg-eco', receivedAt: new Date(NOW).toISOString() })
    // A complaint: 15 working days after Monday 2026-11-23 (local), i.e. the end of Monday 2026-12-14.
    expect(stored?.dueAt).toBe('2026-12-14T16:00:00.000Z')
    expect(h.incidents.summary()).toMatchObject({ open: 1, intakeToday: 1, byNature: { complaint: 1 } })
  })

  it('keeps every incident version, lets the newest win whatever the arrival order, and drops exact repeats', async () => {
    const v1 = incident('GD-2', '2026-11-23T01:05:00Z')
    const v2 = incident('GD-2', '2026-11-23T01:40:00Z', { status: 'closed' })
    expect(await h.ingest.push({ source: 'hotline', kind: 'incident', records: [v2] })).toMatchObject({ accepted: 1, late: 0 })
    expect(await h.ingest.push({ source: 'hotline', kind: 'incident', records: [v1] })).toMatchObject({ accepted: 1, late: 1 })
    expect(await h.ingest.push({ source: 'hotline', kind: 'incident', records: [v1, v2] })).toMatchObject({ accepted: 0, duplicates: 2 })
    expect((await h.store.incidents.get('hotline:GD-2'))?.status).toBe('closed')
    expect((await h.store.incidents.versions('hotline:GD-2')).map(v => v.version)).toEqual(['2026-11-23T01:05:00.000Z', '2026-11-23T01:40:00.000Z'])
    expect(h.incidents.summary().open).toBe(0)
  })

  it('keeps an undecodable payload with its reason', async () => {
    await h.ingest.reject({ source: 'dg-webhook', kind: null, code: 'parse', reasons: [{ path: '(body)', code: 'parse', message: 'Unexpected token' }], raw: '{"records": [' })
    expect((await rejects(h))[0]).toMatchObject({ source: 'dg-webhook', kind: null, code: 'parse', raw: '{"records": [' })
  })
})
