import { describe, expect, it } from 'vitest'
import type { TraceEvent } from './trace'
import { packageOfUrl, parseTrace, tickBreakdown } from './trace'

const PID = 7
const MAIN = 1
const T0 = 5_000_000
const HOST = 'http://localhost:3000/assets'

/**
 * A renderer whose UI timer (id 3) fires every 250 ms in tasks of 2 ms, the
 * last one 10 ms with a style recalculation; a one-second timer beside it;
 * and profiler samples: maplibre code in the slow tick (one of them a
 * builtin it called), Vue code in the others.
 */
function syntheticTrace(): TraceEvent[] {
  const events: TraceEvent[] = [
    { name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: MAIN, args: { name: 'CrRendererMain' } },
    { name: 'thread_name', ph: 'M', ts: 0, pid: PID, tid: 2, args: { name: 'Compositor' } },
  ]
  const samples: number[] = []
  const deltas: number[] = []
  let last = T0
  const sample = (t: number, node: number): void => {
    samples.push(node)
    deltas.push(t - last)
    last = t
  }
  for (let k = 0; k < 10; k++) {
    const ts = T0 + k * 250_000
    const dur = k === 9 ? 10_000 : 2000
    events.push({ name: 'ThreadControllerImpl::RunTask', cat: 'toplevel', ph: 'X', ts, dur, tdur: dur / 2, pid: PID, tid: MAIN })
    events.push({ name: 'TimerFire', cat: 'devtools.timeline', ph: 'X', ts: ts + 10, dur: dur - 20, pid: PID, tid: MAIN, args: { data: { timerId: 3 } } })
    if (k === 9) {
      events.push({ name: 'UpdateLayoutTree', ph: 'X', ts: ts + 100, dur: 1000, pid: PID, tid: MAIN })
      for (let i = 0; i < 40; i++)
        sample(ts + 200 + i * 200, i % 4 === 0 ? 5 : 2)
    }
    else {
      for (let i = 0; i < 8; i++)
        sample(ts + 100 + i * 200, 3)
    }
    // Idle between ticks, outside every task.
    sample(ts + 100_000, 6)
  }
  for (let k = 0; k < 3; k++) {
    const ts = T0 + 50_000 + k * 1_000_000
    events.push({ name: 'ThreadControllerImpl::RunTask', cat: 'toplevel', ph: 'X', ts, dur: 500, tdur: 500, pid: PID, tid: MAIN })
    events.push({ name: 'TimerFire', ph: 'X', ts: ts + 10, dur: 400, pid: PID, tid: MAIN, args: { data: { timerId: 4 } } })
  }
  events.push({ name: 'Profile', ph: 'P', ts: T0, pid: PID, tid: MAIN, id: '0x1', args: { data: { startTime: T0 } } })
  events.push({
    name: 'ProfileChunk',
    ph: 'P',
    ts: T0 + 1,
    pid: PID,
    tid: 99,
    id: '0x1',
    args: {
      data: {
        cpuProfile: {
          nodes: [
            { id: 1, callFrame: { functionName: '(root)' } },
            { id: 2, parent: 1, callFrame: { functionName: 'render', url: `${HOST}/maplibre-CZY4r9U1.js`, columnNumber: 120 } },
            { id: 3, parent: 1, callFrame: { functionName: 'flushJobs', url: `${HOST}/vue-GS9D7jXm.js`, columnNumber: 50 } },
            { id: 5, parent: 2, callFrame: { functionName: 'postMessage' } },
            { id: 6, parent: 1, callFrame: { functionName: '(idle)' } },
          ],
          samples,
        },
        timeDeltas: deltas,
      },
    },
  })
  return events
}

describe('tickBreakdown', () => {
  const breakdown = tickBreakdown(syntheticTrace())

  it('finds the 250 ms timer on the renderer main thread and times its tasks', () => {
    expect(breakdown.found).toBe(true)
    expect(breakdown.wall.count).toBe(10)
    expect(breakdown.wall.p50).toBe(2)
    expect(breakdown.wall.max).toBe(10)
    expect(breakdown.cpu.max).toBe(5)
    expect(breakdown.sampleUs).toBe(200)
  })

  it('says what the slowest ticks ran: by package (a builtin counts for its caller) and browser work', () => {
    expect(breakdown.slowest.ticks).toBe(1)
    expect(breakdown.slowest.packages.map(p => p.name)).toEqual(['maplibre'])
    expect(breakdown.slowest.events).toEqual([{ name: 'style', ms: 1, share: 1 }])
    expect(breakdown.slowest.functions.map(f => f.name)).toEqual(['render maplibre-CZY4r9U1.js:120', 'postMessage'])
    const all = breakdown.all.packages.map(p => p.name)
    expect(all).toContain('vue')
    expect(all).not.toContain('idle')
  })

  it('finds nothing in a trace without a 250 ms timer', () => {
    expect(tickBreakdown(syntheticTrace().filter(e => e.args?.data?.timerId !== 3)).found).toBe(false)
  })

  it('reads both forms Chromium writes', () => {
    const events = syntheticTrace()
    expect(parseTrace(Buffer.from(JSON.stringify({ traceEvents: events })))).toHaveLength(events.length)
    expect(parseTrace(Buffer.from(JSON.stringify(events)))).toHaveLength(events.length)
  })
})

describe('packageOfUrl', () => {
  it('names vendor chunks and calls the rest of our chunks app', () => {
    expect(packageOfUrl(`${HOST}/echarts-CPUVT7MM.js`)).toBe('echarts')
    expect(packageOfUrl(`${HOST}/WallView-BshCVzQ4.js`)).toBe('app')
    expect(packageOfUrl(`${HOST}/maplibre-gl-worker-CZtFQQIV.mjs`)).toBe('maplibre')
    expect(packageOfUrl(`${HOST}/CityMap-CZtFQQIV.js`)).toBe('app')
    expect(packageOfUrl('')).toBe('')
  })
})
