/**
 * `npm run bench`: the hot paths of the feeds, on the simulator's own data.
 *
 *   (a) computeAqi over realistic indicator sets (the simulator's station reports);
 *   (b) ingest of traffic telemetry (the biggest feed: every road segment each
 *       round) through validate → de-duplicate → coalesce → TrafficState, one
 *       batch per turn of the event loop as the server takes them, beside the
 *       bare cost of JSON.parse + TrafficObservation.safeParse of the same records;
 *   (c) the event-loop delay while (b) runs;
 *   (d) the server's whole path for the same records, SQLite writes included.
 *
 * Iteration counts are fixed, so that runs compare; (a)–(d) take under a minute.
 *
 *   (wall) the wall in headless Chromium at the reference load, as
 *       `npm run bench:wall` runs it, in its smoke profile (a few minutes):
 *       bench/wall.ts.
 *
 * BENCH_SECTIONS picks sections: feeds for (a)–(d), wall (or wall.size,
 * wall.ticks, wall.soak); all by default.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { monitorEventLoopDelay, performance } from 'node:perf_hooks'
import { computeAqi } from '@shared/air/aqi'
import type { AirIndicators } from '@shared/schemas/air'
import { TrafficObservation } from '@shared/schemas/traffic'
import { DomainBus } from '@server/bus'
import { loadCity } from '@server/city'
import { createManualClock } from '@server/feeds/sim-clock'
import { CitySimulator } from '@server/feeds/simulator'
import type { RawBatch } from '@server/feeds/types'
import { trafficApplier } from '@server/ingest/appliers'
import type { Ingest } from '@server/ingest/ingest'
import { createIngest } from '@server/ingest/ingest'
import { TrafficState } from '@server/live/traffic-state'
import { openSqliteStore } from '@server/store/sqlite'
import { fmt, nextTurn, percentile, table, timed } from './lib'
import { runWallBench } from './wall'
import { WALL_SECTIONS, wallOptions } from './wall/options'

const SEED = 20_260_101
const START = Date.parse('2026-11-23T00:00:00Z')
/** Each simulator round is a minute of simulated time. */
const TICK_MS = 60_000
const FAULT_RATE = 0.002

/** Rounds of indicator sets for (a), and passes over them. */
const AQI_ROUNDS = 200
const AQI_PASSES = 30
/** Rounds of every segment for (b): 40 × ~1,800 ≈ 74,000 records, 40 minutes of simulated rush hour; and passes over them. */
const INGEST_ROUNDS = 40
const INGEST_PASSES = 3
const WARMUP_PASSES = 1
/** (b) starts at the morning rush, when the network is busiest. */
const RUSH_HOUR = Date.parse('2026-11-23T00:00:00Z')

const city = loadCity('dongguan')

function simulator(start: number, faultRate: number): { sim: CitySimulator, clock: ReturnType<typeof createManualClock> } {
  const clock = createManualClock(start)
  const sim = new CitySimulator({
    city,
    clock,
    seed: SEED,
    airIntervalMs: 5000,
    trafficIntervalMs: 5000,
    hallIntervalMs: 5000,
    incidentsPerDay: 6000,
    faultRate,
    isWorkingDay: date => ![0, 6].includes(new Date(`${date}T12:00:00Z`).getUTCDay()),
  })
  return { sim, clock }
}

function simulateRounds(kind: 'air' | 'traffic', rounds: number, start: number, faultRate: number): RawBatch[] {
  const { sim, clock } = simulator(start, faultRate)
  return Array.from({ length: rounds }, (_, i) => {
    clock.set(start + i * TICK_MS)
    return sim.tick(kind)
  })
}


/** A fresh ingest whose traffic lane feeds a TrafficState; with a store, the server's full applier. */
async function trafficIngest(withStore: boolean): Promise<{ ingest: Ingest, close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-bench-'))
  const store = await openSqliteStore(withStore ? join(dir, 'bench.db') : ':memory:')
  const state = new TrafficState(city.roads)
  const full = trafficApplier({ state, store, bus: new DomainBus() })
  const noop = { apply: () => Promise.resolve() }
  const ingest = createIngest({
    known: { air: new Set(), traffic: new Set(city.roads.map(r => r.id)), hall: new Set() },
    clockFor: () => RUSH_HOUR + INGEST_ROUNDS * TICK_MS,
    rejects: store.rejects,
    telemetry: {
      air: noop,
      traffic: withStore ? full : { apply: (latest) => { state.apply(latest); return Promise.resolve() } },
      hall: noop,
    },
    heldTime: { air: () => undefined, traffic: id => state.heldTime(id), hall: () => undefined },
    incidents: { apply: () => Promise.resolve([]) },
    observer: { counted: () => {} },
    onError: (err) => { throw err },
  })
  return {
    ingest,
    close: async () => {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

interface Row { name: string, ops: number, ms: number, unit: string, note?: string }

function row(r: Row): string[] {
  const rate = r.ops / (r.ms / 1000)
  return [r.name, fmt(r.ops), fmt(r.ms, 1), `${fmt(rate)} ${r.unit}/s`, fmt((r.ms * 1000) / r.ops, 2), r.note ?? '']
}

async function feedsBench(): Promise<void> {
  const stations = city.airStations.length
  console.log(`City IOC bench: node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`)
  console.log(`${stations} stations, ${city.roads.length} road segments; simulator seed ${SEED}, ${TICK_MS / 1000} s of simulated time per round, fault rate ${FAULT_RATE}\n`)
  const rows: Row[] = []

  // (a) computeAqi over the simulator's indicator sets.
  const indicatorSets: AirIndicators[] = simulateRounds('air', AQI_ROUNDS, START, 0).flatMap(b => b.records as { indicators: AirIndicators }[]).map(r => r.indicators)
  let sink = 0
  const rateAll = (): void => {
    for (const indicators of indicatorSets)
      sink += computeAqi(indicators).aqi ?? 0
  }
  for (let i = 0; i < WARMUP_PASSES * 3; i++)
    rateAll()
  const aqi = timed(() => {
    for (let i = 0; i < AQI_PASSES; i++)
      rateAll()
  })
  rows.push({ name: '(a) computeAqi', ops: indicatorSets.length * AQI_PASSES, ms: aqi.ms, unit: 'calls', note: `${indicatorSets.length} station reports × ${AQI_PASSES}` })

  // (b) ingest of traffic telemetry, validate → dedup → coalesce → live state, one batch per turn of the loop.
  const trafficBatches = simulateRounds('traffic', INGEST_ROUNDS, RUSH_HOUR, FAULT_RATE)
  const trafficRecords = trafficBatches.reduce((n, b) => n + b.records.length, 0)
  const segments = city.roads.length
  let counted = { accepted: 0, rejected: 0, duplicates: 0, late: 0 }
  const batchMs: number[] = []
  const ingestPass = async (measure: boolean, withStore: boolean): Promise<number> => {
    const lane = await trafficIngest(withStore)
    counted = { accepted: 0, rejected: 0, duplicates: 0, late: 0 }
    const start = performance.now()
    for (const batch of trafficBatches) {
      const t0 = performance.now()
      const receipt = await lane.ingest.push(batch)
      if (measure)
        batchMs.push(performance.now() - t0)
      for (const key of Object.keys(counted) as (keyof typeof counted)[])
        counted[key] += receipt[key]
      await nextTurn()
    }
    await lane.ingest.drained()
    const ms = performance.now() - start
    await lane.close()
    return ms
  }
  for (let i = 0; i < WARMUP_PASSES; i++)
    await ingestPass(false, false)
  const loopDelay = monitorEventLoopDelay({ resolution: 1 })
  loopDelay.enable()
  let ingestMs = 0
  for (let i = 0; i < INGEST_PASSES; i++)
    ingestMs += await ingestPass(true, false)
  loopDelay.disable()
  rows.push({ name: '(b) ingest: validate → dedup → TrafficState', ops: trafficRecords * INGEST_PASSES, ms: ingestMs, unit: 'records', note: `${INGEST_ROUNDS} rounds of ${segments} segments × ${INGEST_PASSES}` })

  // The bare cost of the same records: parse the JSON text, check the schema.
  const texts = trafficBatches.flatMap(b => b.records.map(r => JSON.stringify(r)))
  const objects = trafficBatches.flatMap(b => b.records)
  let valid = 0
  for (const text of texts)
    valid += TrafficObservation.safeParse(JSON.parse(text)).success ? 1 : 0
  const bare = timed(() => {
    for (let i = 0; i < INGEST_PASSES; i++) {
      for (const text of texts)
        sink += TrafficObservation.safeParse(JSON.parse(text)).success ? 1 : 0
    }
  })
  rows.push({ name: '    JSON.parse + TrafficObservation.safeParse', ops: texts.length * INGEST_PASSES, ms: bare.ms, unit: 'records', note: 'same records, as JSON text' })
  const schemaOnly = timed(() => {
    for (let i = 0; i < INGEST_PASSES; i++) {
      for (const record of objects)
        sink += TrafficObservation.safeParse(record).success ? 1 : 0
    }
  })
  rows.push({ name: '    TrafficObservation.safeParse alone', ops: objects.length * INGEST_PASSES, ms: schemaOnly.ms, unit: 'records', note: 'same records, as objects' })

  // (d) the server's whole path: (b) plus SQLite (latest per segment, hourly rollups) and the domain event.
  const fullMs = await ingestPass(false, true)
  rows.push({ name: '(d) ingest + SQLite + publish (the server path)', ops: trafficRecords, ms: fullMs, unit: 'records', note: `${INGEST_ROUNDS} rounds, one pass, file database` })

  console.log(table(['measure', 'ops', 'total ms', 'rate', 'µs/op', 'workload'], rows.map(row)))
  const ratio = (trafficRecords * INGEST_PASSES / ingestMs) / (texts.length * INGEST_PASSES / bare.ms)
  console.log(`\nper pass of (b): ${fmt(trafficRecords)} records, ${fmt(counted.accepted)} accepted, ${fmt(counted.rejected)} rejected (${fmt((100 * counted.rejected) / trafficRecords, 2)} %), ${fmt(counted.duplicates)} duplicates; ${fmt(valid)} pass the schema alone`)
  console.log(`(b) against the bare floor: ${fmt(ratio, 2)}× (target ≥ 0.5×; throughput target ≥ 50,000 records/s)`)

  const ns = (v: number): string => fmt(v / 1e6, 2)
  console.log(`\n${table(['during (b)', 'p50 ms', 'p99 ms', 'max ms', 'samples'], [
    ['(c) event-loop delay (monitorEventLoopDelay, 1 ms resolution; target p99 < 20 ms)', ns(loopDelay.percentile(50)), ns(loopDelay.percentile(99)), ns(loopDelay.max), fmt(loopDelay.count)],
    [`    time per ${segments}-segment push (validate + dedup + queue)`, fmt(percentile(batchMs, 50), 2), fmt(percentile(batchMs, 99), 2), fmt(Math.max(...batchMs), 2), fmt(batchMs.length)],
  ])}`)
  // Keeps the optimiser from dropping the work; never printed in practice.
  if (sink < 0)
    console.log(sink)
}

async function main(): Promise<void> {
  const named = (process.env.BENCH_SECTIONS ?? '').split(',').map(s => s.trim()).filter(Boolean)
  if (named.length === 0 || named.includes('feeds'))
    await feedsBench()
  if (named.length === 0 || named.some(n => n === 'wall' || n.startsWith('wall.') || (WALL_SECTIONS as readonly string[]).includes(n))) {
    console.log('')
    await runWallBench(wallOptions(process.env, 'smoke'))
  }
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
