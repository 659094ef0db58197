/**
 * C-4: the wall's memory over a simulated hour and a half played fast.
 * Every simulated five minutes the wall steps through every scene (each
 * scene's panels and charts mount, the last ones unmount: the churn of a
 * rotating wall) and back to the overview, then a forced GC, then the JS
 * heap, DOM nodes and event listeners (CDP) and the renderer's resident
 * memory. Samples are always taken on the overview, so they compare. Half-way,
 * the wall's connections are cut (the relay drops them, as a network blip
 * would) so that a reconnect that registers its listeners again shows as
 * growth. Growth is a least-squares slope over the samples after the
 * warm-up, per hour of real time and per simulated hour.
 */
import type { Page } from 'playwright-core'
import type { BenchBrowser } from './browser'
import { memoryAfterGc } from './browser'
import type { PageMemory } from './browser'
import { growth, growthExcluding, heapSummary, NOT_PAGE_DATA } from './heap-snapshot'
import type { HeapGroup, HeapGrowth } from './heap-snapshot'
import type { RunningLoad } from './load'
import type { WallOptions } from './options'
import { openWall } from './page'
import { readProbes, readTicks, resetWindow } from './probes'
import type { CpuSplit, Distribution, LinearFit } from './stats'
import { cpuSplit, distribution, linearFit } from './stats'
import { cpuReading } from './ticks-section'

export interface SoakSample extends PageMemory {
  /** Real seconds and simulated minutes since the soak began. */
  realS: number
  simMin: number
  scene: string
  rendererRss: number
  /** Since the previous sample: ticks' p95, long frames over 100 ms (and those the main thread's own tasks blocked), entity changes per second the page took. */
  tickP95: number
  loafOver100: number
  loafOver100Blocking: number
  changesPerSecond: number
}

export interface SoakResult {
  realMinutes: number
  simMinutes: number
  speed: number
  /** Scene steps taken before each sample (every scene and back), and in all. */
  stepsPerSample: number
  steps: number
  samples: SoakSample[]
  /** Samples left out of the fits (the warm-up). */
  warmupSamples: number
  heapPerRealHour: LinearFit
  heapPerSimHour: LinearFit
  /** After the warm-up. */
  nodes: { min: number, max: number }
  listeners: { min: number, max: number }
  reconnect: { droppedConnections: number, msToFirstEvent: number, listenersBefore: number, listenersAfter: number, nodesBefore: number, nodesAfter: number }
  /** Every tick and long frame after the warm-up. */
  ticks: Distribution
  loafOver100: number
  loafOver100Blocking: number
  webglWarnings: number
  /** Entity changes per second the page took over the soak. */
  changesPerSecond: number
  /** What grew most between heap snapshots at the end of the warm-up and at the end (self sizes by constructor or kind). */
  heapGrowth: { fromSimMin: number, toSimMin: number, fromRealS: number, toRealS: number, totalBytes: number, pageDataBytes: number, top: HeapGrowth[] } | null
  cpu: CpuSplit
}

const sleep = (ms: number): Promise<void> => new Promise(resolve => setTimeout(resolve, ms))
const MB = 1024 * 1024
/** A reconnect that has not delivered an event after this long is reported as failed (NaN). */
const RECONNECT_LIMIT_MS = 60_000
const HOME_SCENE = 'overview'
/** More steps than any preset has scenes: the loop ends when the overview is back. */
const MAX_STEPS = 12

async function untilEventAfter(since: number, tally: { lastEventAt: number }): Promise<number> {
  const deadline = since + RECONNECT_LIMIT_MS
  while (tally.lastEventAt <= since) {
    if (Date.now() > deadline)
      return Number.NaN
    await sleep(50)
  }
  return tally.lastEventAt - since
}

const sceneOf = (page: Page): Promise<string> => page.evaluate(() => document.querySelector('[data-scene]')?.getAttribute('data-scene') ?? '')

/** Steps (→, the operator's key) through every scene until the overview is back; the number of steps. */
async function stepThroughScenes(page: Page, dwellMs: number): Promise<number> {
  for (let steps = 1; steps <= MAX_STEPS; steps++) {
    await page.keyboard.press('ArrowRight')
    await sleep(dwellMs)
    if (await sceneOf(page) === HOME_SCENE)
      return steps
  }
  throw new Error(`the wall did not come back to the ${HOME_SCENE} scene after ${MAX_STEPS} steps`)
}

export async function runSoak(bench: BenchBrowser, load: RunningLoad, options: WallOptions, progress: (line: string) => void): Promise<SoakResult> {
  const wall = await openWall(bench, load, `?scene=${HOME_SCENE}`)
  try {
    // Held by the operator's pause: the scene changes only when the benchmark steps.
    await wall.page.keyboard.press(' ')
    if (await sceneOf(wall.page) !== HOME_SCENE)
      await stepThroughScenes(wall.page, 500)
    const intervalMs = (options.sampleSimMin * 60_000) / options.soakSpeed
    const durationMs = options.soakMin * 60_000
    const samples: SoakSample[] = []
    const fittedTicks: number[] = []
    let loafOver100 = 0
    let loafOver100Blocking = 0
    let steps = 0
    let stepsPerSample = 0
    const simStart = load.clock.now()
    const realStart = Date.now()
    const cpuStart = cpuReading(bench)
    let reconnect: SoakResult['reconnect'] = { droppedConnections: 0, msToFirstEvent: Number.NaN, listenersBefore: Number.NaN, listenersAfter: Number.NaN, nodesBefore: Number.NaN, nodesAfter: Number.NaN }
    let reconnected = false
    let changes = 0
    let firstSnapshot: { simMin: number, realS: number, groups: Map<string, HeapGroup> } | undefined
    await resetWindow(wall.page)
    wall.tally.reset()
    // Samples on the simulated clock's schedule; the soak ends on real time (a slow machine takes fewer samples, not longer).
    for (let i = 0; i === 0 || Date.now() - realStart < durationMs; i++) {
      if (i > 0 && options.churnDwellS > 0) {
        stepsPerSample = await stepThroughScenes(wall.page, options.churnDwellS * 1000)
        steps += stepsPerSample
      }
      await sleep(Math.max(0, realStart + i * intervalMs - Date.now()))
      const ticks = await readTicks(wall.page)
      const probes = await readProbes(wall.page)
      const changesPerSecond = wall.tally.rate()
      changes += Object.values(wall.tally.changes).reduce((a, b) => a + b, 0)
      const scene = await sceneOf(wall.page)
      await resetWindow(wall.page)
      wall.tally.reset()
      const memory = await memoryAfterGc(wall.cdp)
      const simMin = (load.clock.now() - simStart) / 60_000
      const over100 = probes.loaf.filter(l => l.duration > 100).length
      if (simMin >= options.soakWarmupSimMin) {
        fittedTicks.push(...ticks)
        loafOver100 += over100
        loafOver100Blocking += probes.loaf.filter(l => l.duration > 100 && l.blocking > 0).length
      }
      const sample: SoakSample = {
        ...memory,
        realS: (Date.now() - realStart) / 1000,
        simMin,
        scene,
        rendererRss: bench.memory().renderer ?? Number.NaN,
        tickP95: distribution(ticks).p95,
        loafOver100: over100,
        loafOver100Blocking: probes.loaf.filter(l => l.duration > 100 && l.blocking > 0).length,
        changesPerSecond,
      }
      samples.push(sample)
      if (!firstSnapshot && simMin >= options.soakWarmupSimMin) {
        progress('soak: heap snapshot after the warm-up')
        firstSnapshot = { simMin, realS: sample.realS, groups: await heapSummary(wall.cdp) }
      }
      progress(`soak sample ${i}: sim ${simMin.toFixed(0)} min, ${scene}, heap ${(sample.jsHeapUsed / MB).toFixed(2)} MB, nodes ${sample.nodes}, listeners ${sample.jsEventListeners}, renderer ${(sample.rendererRss / MB).toFixed(0)} MB`)
      if (reconnected && Number.isNaN(reconnect.listenersAfter)) {
        // Read at the first sample after the reconnect has settled.
        reconnect = { ...reconnect, listenersAfter: sample.jsEventListeners, nodesAfter: sample.nodes }
      }
      if (!reconnected && Date.now() - realStart >= durationMs / 2) {
        reconnected = true
        const droppedAt = Date.now()
        const dropped = load.relay.dropAll()
        const ms = await untilEventAfter(droppedAt, wall.tally)
        reconnect = { droppedConnections: dropped, msToFirstEvent: ms, listenersBefore: sample.jsEventListeners, listenersAfter: Number.NaN, nodesBefore: sample.nodes, nodesAfter: Number.NaN }
        progress(`soak: cut ${dropped} connection(s); the first stream event came ${ms.toFixed(0)} ms later`)
      }
    }
    let heapGrowth: SoakResult['heapGrowth'] = null
    if (firstSnapshot) {
      progress('soak: heap snapshot at the end')
      const last = await heapSummary(wall.cdp)
      const total = (groups: ReadonlyMap<string, HeapGroup>): number => [...groups.values()].reduce((n, g) => n + g.bytes, 0)
      heapGrowth = {
        fromSimMin: firstSnapshot.simMin,
        toSimMin: (load.clock.now() - simStart) / 60_000,
        fromRealS: firstSnapshot.realS,
        toRealS: (Date.now() - realStart) / 1000,
        totalBytes: total(last) - total(firstSnapshot.groups),
        pageDataBytes: growthExcluding(firstSnapshot.groups, last, NOT_PAGE_DATA),
        top: growth(firstSnapshot.groups, last, 8),
      }
    }
    const fitted = samples.filter(s => s.simMin >= options.soakWarmupSimMin)
    const realMinutes = (Date.now() - realStart) / 60_000
    return {
      realMinutes,
      simMinutes: (load.clock.now() - simStart) / 60_000,
      speed: options.soakSpeed,
      stepsPerSample,
      steps,
      samples,
      warmupSamples: samples.length - fitted.length,
      heapPerRealHour: linearFit(fitted.map(s => ({ x: s.realS / 3600, y: s.jsHeapUsed / MB }))),
      heapPerSimHour: linearFit(fitted.map(s => ({ x: s.simMin / 60, y: s.jsHeapUsed / MB }))),
      nodes: { min: Math.min(...fitted.map(s => s.nodes)), max: Math.max(...fitted.map(s => s.nodes)) },
      listeners: { min: Math.min(...fitted.map(s => s.jsEventListeners)), max: Math.max(...fitted.map(s => s.jsEventListeners)) },
      reconnect,
      ticks: distribution(fittedTicks),
      loafOver100,
      loafOver100Blocking,
      webglWarnings: wall.console.filter(m => /WebGL contexts/i.test(m)).length,
      changesPerSecond: changes / (realMinutes * 60),
      heapGrowth,
      cpu: cpuSplit(cpuStart, cpuReading(bench)),
    }
  }
  finally {
    await wall.close()
  }
}
