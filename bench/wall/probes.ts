/**
 * What the benchmark watches inside the page, installed before the wall's
 * own scripts (page.addInitScript): long animation frames (LoAF, with the
 * script that held them up), and the time between animation frames. Both
 * are kept in fixed rings, so that the probes never look like a leak in the
 * soak, and can be reset between windows.
 */
import type { Page } from 'playwright-core'

export interface LoafEntry {
  start: number
  duration: number
  blocking: number
  /** The longest script of the frame: where it came from (file, function) and how long it ran. */
  script: string
  scriptMs: number
}

export interface ProbeReadout {
  loaf: LoafEntry[]
  /** LoAFs seen since the reset, beyond what the ring kept. */
  loafCount: number
  /** rAF intervals since the reset, ms (the newest 8,192 at most). */
  frames: number[]
  frameCount: number
}

interface Probes {
  read: () => ProbeReadout
  reset: () => void
}

declare global {
  interface Window {
    __benchProbes?: Probes
    __benchMapCalls?: Record<string, number>
  }
}

/** Runs inside the page: must not close over anything outside itself. */
function installProbes(): void {
  const LOAF_KEPT = 2000
  const FRAMES_KEPT = 8192
  let loaf: LoafEntry[] = []
  let loafCount = 0
  const frames = new Float64Array(FRAMES_KEPT)
  let frameCount = 0
  interface ScriptTiming { duration: number, sourceURL?: string, sourceFunctionName?: string, invoker?: string }
  interface LoafTiming extends PerformanceEntry { blockingDuration?: number, scripts?: ScriptTiming[] }
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as LoafTiming[]) {
        loafCount++
        const longest = [...(entry.scripts ?? [])].sort((a, b) => b.duration - a.duration)[0]
        const file = (longest?.sourceURL ?? '').split('/').pop() ?? ''
        const record = {
          start: entry.startTime,
          duration: entry.duration,
          blocking: entry.blockingDuration ?? 0,
          script: longest ? `${file} ${longest.sourceFunctionName ?? ''} (${longest.invoker ?? ''})`.trim() : '',
          scriptMs: longest?.duration ?? 0,
        }
        if (loaf.length >= LOAF_KEPT)
          loaf.shift()
        loaf.push(record)
      }
    }).observe({ type: 'long-animation-frame', buffered: true })
  }
  catch {
    // No LoAF in this browser: the counts stay at zero and the report says so through loafSupported.
  }
  let last = 0
  const onFrame = (t: number): void => {
    if (last > 0) {
      frames[frameCount % FRAMES_KEPT] = t - last
      frameCount++
    }
    last = t
    requestAnimationFrame(onFrame)
  }
  requestAnimationFrame(onFrame)
  window.__benchProbes = {
    read: () => ({
      loaf: [...loaf],
      loafCount,
      frames: Array.from(frames.subarray(0, Math.min(frameCount, FRAMES_KEPT))),
      frameCount,
    }),
    reset: () => {
      loaf = []
      loafCount = 0
      frameCount = 0
      last = 0
    },
  }
}

/**
 * tsx compiles with esbuild's keepNames, which wraps named inner functions in
 * a `__name` helper that exists only in Node: functions sent to the page
 * find a stand-in for it there.
 */
const NAME_HELPER = 'globalThis.__name ??= (target) => target;'

export async function addProbes(page: Page): Promise<void> {
  await page.addInitScript({ content: `${NAME_HELPER}(${installProbes.toString()})();` })
}

export async function readProbes(page: Page): Promise<ProbeReadout> {
  return page.evaluate(() => {
    const probes = window.__benchProbes
    if (!probes)
      throw new Error('the benchmark probes are not installed')
    return probes.read()
  })
}

export async function loafSupported(page: Page): Promise<boolean> {
  return page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'))
}

/** Resets the probes and the wall's own tick ring (window.__iocTicks) together, at the start of a window. */
export async function resetWindow(page: Page): Promise<void> {
  await page.evaluate(() => {
    window.__benchProbes?.reset()
    window.__iocTicks?.reset()
    for (const key of Object.keys(window.__benchMapCalls ?? {}))
      delete window.__benchMapCalls?.[key]
  })
}

/** The UI ticks' main-thread durations recorded since the last reset, ms. */
export async function readTicks(page: Page): Promise<number[]> {
  return page.evaluate(() => window.__iocTicks?.recent() ?? [])
}

/**
 * Counts the map's update calls by kind (feature state, setData and
 * updateData per GeoJSON source), so that a run shows which strategy the
 * wall really used. Wraps the methods on the instance; the map is unchanged otherwise.
 */
export async function countMapCalls(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const map = window.__iocMap
    if (!map)
      return false
    const calls: Record<string, number> = {}
    window.__benchMapCalls = calls
    const wrap = (target: object, method: string, key: string): void => {
      const holder = target as Record<string, unknown>
      const original = holder[method]
      if (typeof original !== 'function')
        return
      holder[method] = function (this: unknown, ...args: unknown[]) {
        calls[key] = (calls[key] ?? 0) + 1
        return (original as (...a: unknown[]) => unknown).apply(this, args)
      }
    }
    for (const method of ['setFeatureState', 'removeFeatureState', 'setPaintProperty', 'setFilter', 'setLayoutProperty'])
      wrap(map, method, method)
    for (const id of Object.keys(map.getStyle().sources)) {
      const source = map.getSource(id)
      if (source?.type === 'geojson') {
        wrap(source, 'setData', `${id}.setData`)
        wrap(source, 'updateData', `${id}.updateData`)
      }
    }
    return true
  })
}

export async function readMapCalls(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => ({ ...(window.__benchMapCalls ?? {}) }))
}
