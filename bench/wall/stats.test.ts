import { describe, expect, it } from 'vitest'
import { busyShare, cpuSplit, distribution, linearFit, parseProcStat } from './stats'

describe('linearFit', () => {
  it('finds the slope and intercept of points on a line', () => {
    const fit = linearFit([0, 1, 2, 3].map(x => ({ x, y: 2 + 0.5 * x })))
    expect(fit.slope).toBeCloseTo(0.5, 12)
    expect(fit.intercept).toBeCloseTo(2, 12)
    expect(fit.r2).toBeCloseTo(1, 12)
  })

  it('gives a flat slope and low r² for noise around a constant', () => {
    const fit = linearFit([10, 11, 10, 11, 10, 11].map((y, x) => ({ x, y })))
    expect(Math.abs(fit.slope)).toBeLessThan(0.1)
    expect(fit.r2).toBeLessThan(0.2)
  })

  it('has no slope for a single x', () => {
    expect(linearFit([{ x: 1, y: 1 }, { x: 1, y: 2 }]).slope).toBeNaN()
  })
})

describe('distribution', () => {
  it('gives nearest-rank percentiles, the max and the mean', () => {
    const d = distribution(Array.from({ length: 100 }, (_, i) => i + 1))
    expect(d).toMatchObject({ count: 100, p50: 50, p95: 95, p99: 99, max: 100, mean: 50.5 })
  })
})

describe('CPU shares', () => {
  it('reads /proc/stat and splits the busy time between Chromium, this process and others', () => {
    const a = parseProcStat('cpu  100 0 100 700 100 0 0 0 0 0\ncpu0 1 2 3')
    const b = parseProcStat('cpu  300 0 200 800 100 0 0 0 0 0\n')
    expect(a).toEqual({ busy: 200, total: 1000 })
    expect(busyShare(a, b)).toBeCloseTo(300 / 400, 12)
    const split = cpuSplit(
      { at: 0, machine: a, chromium: 10, self: { user: 0, system: 0 } },
      { at: 1, machine: b, chromium: 110, self: { user: 500_000, system: 0 } },
    )
    // 400 ticks in all: 300 busy, Chromium 100, this process 0.5 s = 50 ticks, others the rest.
    expect(split.busy).toBeCloseTo(0.75, 12)
    expect(split.chromium).toBeCloseTo(0.25, 12)
    expect(split.bench).toBeCloseTo(0.125, 12)
    expect(split.others).toBeCloseTo(0.375, 12)
  })
})
