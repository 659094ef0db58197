/**
 * `npm run bench`: the hot paths of the air feed, on the simulator's own data.
 *
 *   (a) computeAqi over realistic indicator sets (the simulator's station reports);
 *   (b) the ingest path, validateAirBatch + AirState.apply, over 33-station
 *       batches, beside the bare cost of JSON.parse + AirObservation.safeParse
 *       of the same records;
 *   (c) the event-loop delay while (b) runs one batch per turn of the loop, as
 *       the server does.
 *
 * Iteration counts are fixed, so that runs compare; the whole run takes a few seconds.
 */
import { cpus } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { computeAqi } from '@shared/air/aqi'
import type { AirIndicators } from '@shared/schemas/air'
import { AirObservation } from '@shared/schemas/air'
import { loadCity } from '@server/city'
import { AirSimulator } from '@server/feeds/air-simulator.feed'
import type { SimClock } from '@server/feeds/sim-clock'
import type { RawBatch } from '@server/feeds/types'
import { validateAirBatch } from '@server/ingest/air.ingest'
import { AirState } from '@server/live/air-state'
import { fmt, nextTurn, percentile, table, timed } from './lib'

const SEED = 20_260_101
const START = Date.parse('2026-11-23T00:00:00Z')
/** Each simulator round is a minute of simulated time. */
const TICK_MS = 60_000
const FAULT_RATE = 0.002

/** Rounds of indicator sets for (a), and passes over them. */
const AQI_ROUNDS = 200
const AQI_PASSES = 30
/** Batches for (b): 1,500 rounds × 33 stations ≈ 50,000 records, a day of simulated time; and passes over them. */
const INGEST_ROUNDS = 1500
const INGEST_PASSES = 3
const WARMUP_PASSES = 1

/** Simulated time that moves one tick each time it is read. */
function steppingClock(start: number, stepMs: number): SimClock {
  let t = start
  return { now: () => (t += stepMs) }
}

function simulate(rounds: number, faultRate: number): RawBatch[] {
  const city = loadCity('dongguan')
  const simulator = new AirSimulator({ stations: city.airStations, clock: steppingClock(START, TICK_MS), seed: SEED, intervalMs: 5000, faultRate })
  return Array.from({ length: rounds }, () => ({ source: simulator.id, kind: 'air' as const, records: simulator.tick() }))
}

interface Row { name: string, ops: number, ms: number, unit: string, note?: string }

function row(r: Row): string[] {
  const rate = r.ops / (r.ms / 1000)
  return [r.name, fmt(r.ops), fmt(r.ms, 1), `${fmt(rate)} ${r.unit}/s`, fmt((r.ms * 1000) / r.ops, 2), r.note ?? '']
}

async function main(): Promise<void> {
  const city = loadCity('dongguan')
  const known = new Set(city.airStations.map(s => s.id))
  const stations = city.airStations.length
  console.log(`City IOC bench: node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} × ${cpus().length}`)
  console.log(`${stations} stations; simulator seed ${SEED}, ${TICK_MS / 1000} s of simulated time per round, fault rate ${FAULT_RATE}\n`)
  const rows: Row[] = []

  // (a) computeAqi over the simulator's indicator sets.
  const indicatorSets: AirIndicators[] = simulate(AQI_ROUNDS, 0).flatMap(b => b.records as { indicators: AirIndicators }[]).map(r => r.indicators)
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

  // (b) the ingest path, one batch per turn of the event loop, with (c) the loop's delay meanwhile.
  const batches = simulate(INGEST_ROUNDS, FAULT_RATE)
  const records = batches.reduce((n, b) => n + b.records.length, 0)
  let accepted = 0
  let rejected = 0
  let stale = 0
  const batchMs: number[] = []
  const ingestPass = async (measure: boolean): Promise<number> => {
    const state = new AirState(stations)
    let ms = 0
    accepted = rejected = stale = 0
    for (const batch of batches) {
      const { result, ms: one } = timed(() => {
        const { observations, rejections } = validateAirBatch(batch, known)
        return { applied: state.apply(observations), rejections: rejections.length }
      })
      ms += one
      accepted += result.applied.readings.length
      stale += result.applied.stale
      rejected += result.rejections
      if (measure)
        batchMs.push(one)
      await nextTurn()
    }
    return ms
  }
  for (let i = 0; i < WARMUP_PASSES; i++)
    await ingestPass(false)
  const loopDelay = monitorEventLoopDelay({ resolution: 1 })
  loopDelay.enable()
  let ingestMs = 0
  for (let i = 0; i < INGEST_PASSES; i++)
    ingestMs += await ingestPass(true)
  loopDelay.disable()
  rows.push({ name: '(b) validateAirBatch + AirState.apply', ops: records * INGEST_PASSES, ms: ingestMs, unit: 'records', note: `${INGEST_ROUNDS} batches of ${stations} × ${INGEST_PASSES}` })

  // The bare cost of the same records: parse the JSON text, check the schema.
  const texts = batches.flatMap(b => b.records.map(r => JSON.stringify(r)))
  const objects = batches.flatMap(b => b.records)
  let valid = 0
  for (const text of texts)
    valid += AirObservation.safeParse(JSON.parse(text)).success ? 1 : 0
  const bare = timed(() => {
    for (let i = 0; i < INGEST_PASSES; i++) {
      for (const text of texts)
        sink += AirObservation.safeParse(JSON.parse(text)).success ? 1 : 0
    }
  })
  rows.push({ name: '    JSON.parse + AirObservation.safeParse', ops: texts.length * INGEST_PASSES, ms: bare.ms, unit: 'records', note: 'same records, as JSON text' })
  const schemaOnly = timed(() => {
    for (let i = 0; i < INGEST_PASSES; i++) {
      for (const record of objects)
        sink += AirObservation.safeParse(record).success ? 1 : 0
    }
  })
  rows.push({ name: '    AirObservation.safeParse alone', ops: objects.length * INGEST_PASSES, ms: schemaOnly.ms, unit: 'records', note: 'same records, as objects' })

  console.log(table(['measure', 'ops', 'total ms', 'rate', 'µs/op', 'workload'], rows.map(row)))
  console.log(`\nper pass of (b): ${fmt(records)} records, ${fmt(accepted)} accepted, ${fmt(rejected)} rejected (${fmt((100 * rejected) / records, 2)} %), ${fmt(stale)} stale; ${fmt(valid)} pass the schema alone`)

  const ns = (v: number): string => fmt(v / 1e6, 2)
  console.log(`\n${table(['during (b)', 'p50 ms', 'p99 ms', 'max ms', 'samples'], [
    ['(c) event-loop delay (monitorEventLoopDelay, 1 ms resolution)', ns(loopDelay.percentile(50)), ns(loopDelay.percentile(99)), ns(loopDelay.max), fmt(loopDelay.count)],
    ['    time per 33-station batch (validate + apply)', fmt(percentile(batchMs, 50), 2), fmt(percentile(batchMs, 99), 2), fmt(Math.max(...batchMs), 2), fmt(batchMs.length)],
  ])}`)
  // Keeps the optimiser from dropping the work; never printed in practice.
  if (sink < 0)
    console.log(sink)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exitCode = 1
})
