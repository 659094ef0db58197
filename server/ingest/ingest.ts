import type { RecordKind } from '@shared/schemas/feeds'
import type { IncidentReport } from '@shared/schemas/incidents'
import type { BatchReceipt, FeedSink, RawBatch, RawRejection } from '@server/feeds/types'
import type { IncidentWrite, NewRejection, RejectRepository } from '@server/store/repositories'
import { DedupIndex } from './dedup'
import { RECORD_SPECS } from './record-specs'
import type { RecordSpec, RecordTypes } from './record-specs'
import { reason, rejection, validateRecord } from './validate'

/** Out-of-order records are told apart from duplicates this far behind an entity's newest one (reliability.md §3.1). */
export const LATENESS_WINDOW_MS = 10 * 60_000
/** A record stamped further ahead of its source's clock than this is clock skew, not data. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000
/** Telemetry older than this is history nobody can place any more (and 1970 is a broken clock). */
export const TELEMETRY_MAX_AGE_MS = 7 * 24 * 3_600_000
/** Incidents may be back-filled from the last year or so. */
export const INCIDENT_MAX_AGE_MS = 400 * 24 * 3_600_000
/** Records validated in one go before a large batch yields to the event loop (a few milliseconds' work). */
const RECORDS_PER_TURN = 500
/** Late records waiting for history; past this, under a flood, they are dropped and counted as coalesced. */
const MAX_LATE_PENDING = 100_000

export type TelemetryKind = Exclude<RecordKind, 'incident'>
export const TELEMETRY_KINDS: readonly TelemetryKind[] = ['air', 'traffic', 'hall']

/** Applies what ingest accepted: the newest record per entity to the live state, late ones to history only. */
export interface TelemetryHandler<R> {
  /** `arrivedAt`: server time (epoch ms) the oldest of `latest` arrived, for ingest-to-screen latency. */
  apply: (latest: R[], late: R[], arrivedAt: number) => Promise<void>
}

/** Stores incident reports durably and updates the live state; answers what became of each. */
export interface IncidentHandler {
  apply: (source: string, reports: IncidentReport[], receivedAt: string) => Promise<IncidentWrite[]>
}

/** What feed health learns from ingest, per source. */
export interface IngestObserver {
  counted: (source: string, counts: BatchReceipt & { received: number, coalesced: number }, lagMs: number | null) => void
}

export interface IngestDeps {
  /** Entity ids the city model knows, per telemetry kind. */
  known: { [K in TelemetryKind]: ReadonlySet<string> }
  /** The clock a source's timestamps are read against (the simulator's runs ahead at speed > 1). */
  clockFor: (source: string) => number
  rejects: RejectRepository
  telemetry: { [K in TelemetryKind]: TelemetryHandler<RecordTypes[K]> }
  /** The observation time the live state holds per entity: what a restart or another source already gave. */
  heldTime: { [K in TelemetryKind]: (entityId: string) => number | undefined }
  incidents: IncidentHandler
  observer: IngestObserver
  onError: (err: unknown) => void
  /** Server time, for received-at stamps. */
  now?: () => number
}

export interface Ingest extends FeedSink {
  /** Resolves when everything pushed so far has been applied. */
  drained: () => Promise<void>
}

interface Pending<R> {
  source: string
  record: R
  time: number
  /** Server time its batch arrived, epoch ms. */
  arrivedAt: number
}

interface TelemetryLane<R> {
  latest: Map<string, Pending<R>>
  late: Pending<R>[]
}

type Checked<R> = { ok: true, record: R, time: number } | { ok: false, row: NewRejection }

function failed<R>(spec: RecordSpec<R>, source: string, raw: unknown, receivedAt: string, code: NewRejection['code'], reasons: NewRejection['reasons']): Checked<R> {
  return { ok: false, row: rejection(source, spec.kind, code, reasons, raw, receivedAt) }
}

/** Why an instant cannot be placed: ahead of the source's clock, or older than the kind keeps. */
function outOfBounds(instant: string, t: number, clock: number, maxAgeMs: number): NewRejection['reasons'][number] | undefined {
  if (t > clock + MAX_FUTURE_SKEW_MS)
    return reason('time', 'future', `${instant} is ahead of the source clock ${new Date(clock).toISOString()}`)
  if (t < clock - maxAgeMs)
    return reason('time', 'too_late', `${instant} is older than ${maxAgeMs / 86_400_000} days`)
  return undefined
}

/**
 * validate → reject with reasons → de-duplicate → queue → apply. Telemetry
 * is queued per entity and coalesces to the newest value while the lane is
 * busy, so a flood costs memory bounded by the city's size; incidents are
 * never coalesced and are stored before a push resolves.
 */
export function createIngest(deps: IngestDeps): Ingest {
  const now = deps.now ?? Date.now
  const dedup = new DedupIndex(LATENESS_WINDOW_MS)
  const lanes: { [K in TelemetryKind]: TelemetryLane<RecordTypes[K]> } = {
    air: { latest: new Map(), late: [] },
    traffic: { latest: new Map(), late: [] },
    hall: { latest: new Map(), late: [] },
  }
  let incidentChain: Promise<unknown> = Promise.resolve()
  let flushScheduled = false
  let flushing: Promise<void> | null = null
  let idleWaiters: (() => void)[] = []
  /** Pushes still working through their batch (a big one yields to the event loop midway). */
  const inFlight = new Set<Promise<unknown>>()

  function check<R>(spec: RecordSpec<R>, source: string, raw: unknown, receivedAt: string): Checked<R> {
    const parsed = validateRecord(spec.schema, raw)
    if (!parsed.ok)
      return failed(spec, source, raw, receivedAt, 'schema', parsed.reasons)
    const record = spec.normalize(parsed.value)
    const id = spec.entityId(record)
    if (spec.kind !== 'incident' && !deps.known[spec.kind].has(id))
      return failed(spec, source, raw, receivedAt, 'unknown_entity', [reason(spec.entityField, 'unknown_entity', `no ${spec.kind} entity ${id} in the city model`)])
    const clock = deps.clockFor(source)
    const maxAge = spec.kind === 'incident' ? INCIDENT_MAX_AGE_MS : TELEMETRY_MAX_AGE_MS
    const time = Date.parse(spec.time(record))
    const tooFar = outOfBounds(spec.time(record), time, clock, maxAge)
      ?? spec.otherTimes?.(record).map(instant => outOfBounds(instant, Date.parse(instant), clock, maxAge)).find(r => r !== undefined)
    if (tooFar)
      return failed(spec, source, raw, receivedAt, tooFar.code as NewRejection['code'], [tooFar])
    return { ok: true, record, time }
  }

  async function pushTelemetry<K extends TelemetryKind>(kind: K, batch: RawBatch, receipt: BatchReceipt, rows: NewRejection[], receivedAt: string): Promise<{ coalesced: number, lagMs: number | null }> {
    const spec = RECORD_SPECS[kind] as RecordSpec<RecordTypes[K]>
    const lane = lanes[kind] as TelemetryLane<RecordTypes[K]>
    const receivedClock = deps.clockFor(batch.source)
    const receivedMs = Date.parse(receivedAt)
    let lagMs: number | null = null
    let sinceYield = 0
    // The batch's records wait here until all are checked, then join the lane in one step: a flush started
    // while a big batch yields midway must not publish half a round now and the rest a flush later.
    const fresh = new Map<string, Pending<RecordTypes[K]>>()
    const late: Pending<RecordTypes[K]>[] = []
    let coalesced = 0
    for (const raw of batch.records) {
      if (++sinceYield > RECORDS_PER_TURN) {
        // A big batch gives the event loop back now and then: sockets and timers must not wait for all of it.
        sinceYield = 0
        await new Promise(resolve => setImmediate(resolve))
      }
      const checked = check(spec, batch.source, raw, receivedAt)
      if (!checked.ok) {
        rows.push(checked.row)
        continue
      }
      const entity = spec.entityId(checked.record)
      let arrival = dedup.check(`${batch.source}\u0000${kind}\u0000${entity}`, checked.time)
      const held = deps.heldTime[kind](entity)
      if (arrival === 'latest' && held !== undefined && checked.time <= held)
        arrival = checked.time === held ? 'duplicate' : 'late'
      if (arrival === 'duplicate') {
        receipt.duplicates++
        continue
      }
      if (arrival === 'too-late') {
        rows.push(rejection(batch.source, kind, 'too_late', [reason('time', 'too_late', `more than ${LATENESS_WINDOW_MS / 60_000} min behind the newest record of ${entity}`)], raw, receivedAt))
        continue
      }
      receipt.accepted++
      lagMs = receivedClock - checked.time
      const pending = { source: batch.source, record: checked.record, time: checked.time, arrivedAt: receivedMs }
      if (arrival === 'late') {
        receipt.late++
        late.push(pending)
        continue
      }
      const queued = fresh.get(entity)
      if (queued)
        coalesced++
      if (!queued || queued.time < checked.time)
        fresh.set(entity, pending)
    }
    for (const [entity, pending] of fresh) {
      const queued = lane.latest.get(entity)
      if (queued)
        coalesced++
      if (!queued || queued.time < pending.time)
        lane.latest.set(entity, pending)
    }
    for (const pending of late) {
      if (lane.late.length < MAX_LATE_PENDING)
        lane.late.push(pending)
      else
        coalesced++
    }
    receipt.rejected += rows.length
    if (rows.length > 0)
      await deps.rejects.add(rows)
    scheduleFlush()
    return { coalesced, lagMs }
  }

  async function pushIncidents(batch: RawBatch, receipt: BatchReceipt, rows: NewRejection[], receivedAt: string): Promise<{ lagMs: number | null }> {
    const spec = RECORD_SPECS.incident
    const reports: IncidentReport[] = []
    for (const raw of batch.records) {
      const checked = check(spec, batch.source, raw, receivedAt)
      if (checked.ok)
        reports.push(checked.record)
      else
        rows.push(checked.row)
    }
    receipt.rejected += rows.length
    // One batch at a time: versions of one ticket are decided in arrival order.
    const link = incidentChain.then(async () => {
      if (rows.length > 0)
        await deps.rejects.add(rows)
      return reports.length > 0 ? deps.incidents.apply(batch.source, reports, receivedAt) : []
    })
    incidentChain = link.catch(() => {})
    for (const outcome of await link) {
      if (outcome === 'duplicate') {
        receipt.duplicates++
        continue
      }
      receipt.accepted++
      if (outcome === 'late')
        receipt.late++
    }
    const newest = reports.at(-1)
    return { lagMs: newest ? deps.clockFor(batch.source) - Date.parse(newest.version) : null }
  }

  function scheduleFlush(): void {
    if (flushScheduled)
      return
    flushScheduled = true
    setImmediate(() => {
      flushScheduled = false
      if (!flushing)
        flushing = flush().finally(() => {
          flushing = null
          if (hasPending())
            scheduleFlush()
          else
            wakeIdle()
        })
    })
  }

  function hasPending(): boolean {
    return TELEMETRY_KINDS.some(k => lanes[k].latest.size > 0 || lanes[k].late.length > 0)
  }

  async function flush(): Promise<void> {
    for (const kind of TELEMETRY_KINDS)
      await flushLane(kind)
  }

  async function flushLane<K extends TelemetryKind>(kind: K): Promise<void> {
    const lane = lanes[kind] as TelemetryLane<RecordTypes[K]>
    if (lane.latest.size === 0 && lane.late.length === 0)
      return
    const pending = [...lane.latest.values()]
    const latest = pending.map(p => p.record)
    const late = lane.late.map(p => p.record)
    const arrivedAt = pending.reduce((oldest, p) => Math.min(oldest, p.arrivedAt), now())
    lane.latest.clear()
    lane.late = []
    try {
      await (deps.telemetry[kind] as TelemetryHandler<RecordTypes[K]>).apply(latest, late, arrivedAt)
    }
    catch (err) {
      deps.onError(err)
    }
  }

  async function pushBatch(batch: RawBatch): Promise<BatchReceipt> {
    const receivedAt = new Date(now()).toISOString()
    const receipt: BatchReceipt = { accepted: 0, rejected: 0, duplicates: 0, late: 0 }
    const rows: NewRejection[] = []
    const records = Array.isArray(batch.records) ? batch.records : []
    const result = batch.kind === 'incident'
      ? { coalesced: 0, ...(await pushIncidents({ ...batch, records }, receipt, rows, receivedAt)) }
      : await pushTelemetry(batch.kind, { ...batch, records }, receipt, rows, receivedAt)
    deps.observer.counted(batch.source, { ...receipt, received: records.length, coalesced: result.coalesced }, result.lagMs)
    return receipt
  }

  function wakeIdle(): void {
    const waiters = idleWaiters
    idleWaiters = []
    for (const wake of waiters)
      wake()
  }

  return {
    push(batch) {
      const pushing = pushBatch(batch)
      inFlight.add(pushing)
      void pushing.finally(() => inFlight.delete(pushing)).catch(() => {})
      return pushing
    },

    async reject(r: RawRejection) {
      await deps.rejects.add([rejection(r.source, r.kind, r.code, r.reasons, r.raw, new Date(now()).toISOString())])
      deps.observer.counted(r.source, { accepted: 0, rejected: 1, duplicates: 0, late: 0, received: 1, coalesced: 0 }, null)
    },

    async drained() {
      await Promise.allSettled([...inFlight])
      await incidentChain
      if (!flushScheduled && !flushing && !hasPending())
        return
      await new Promise<void>(resolve => idleWaiters.push(resolve))
    },
  }
}
