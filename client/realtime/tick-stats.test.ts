import { describe, expect, it } from 'vitest'
import { TickStats } from './tick-stats'

describe('TickStats', () => {
  it('keeps the newest durations in order, never more than its capacity', () => {
    const stats = new TickStats(3)
    expect(stats.recent()).toEqual([])
    stats.record(1)
    stats.record(2)
    expect(stats.recent()).toEqual([1, 2])
    stats.record(3)
    stats.record(4)
    stats.record(5)
    expect(stats.recent()).toEqual([3, 4, 5])
    expect(stats.count).toBe(5)
    stats.reset()
    expect(stats.recent()).toEqual([])
  })
})
