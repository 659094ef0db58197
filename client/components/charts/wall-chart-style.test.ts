import { describe, expect, it } from 'vitest'
import { cityClock, cityTicks, hoursPerTick, spacedTicks, withAlpha } from './wall-chart-style'

const HOUR_MS = 3_600_000

describe(cityTicks.name, () => {
  it('gives whole hours of the city\'s clock (UTC+8), whatever the machine\'s zone', () => {
    // 2026-11-23 00:00 to 12:00 in Dongguan, every 4 hours.
    const start = Date.parse('2026-11-22T16:00:00.000Z')
    const ticks = cityTicks(start, start + 12 * HOUR_MS, 4 * HOUR_MS)
    expect(ticks.map(cityClock())).toEqual(['00:00', '04:00', '08:00', '12:00'])
    expect(cityTicks(start + 1, start + 4 * HOUR_MS - 1, 4 * HOUR_MS)).toEqual([])
  })
})

describe(withAlpha.name, () => {
  it('writes a hex colour as rgba at the opacity asked', () => {
    expect(withAlpha('#FF7E00', 0.1)).toBe('rgba(255, 126, 0, 0.1)')
  })
})

describe(hoursPerTick.name, () => {
  it('labels a day every 3 hours when wide, down to every 12 when narrow', () => {
    expect([40, 25, 15, 8].map(hoursPerTick)).toEqual([3, 4, 6, 12])
  })
})

describe(spacedTicks.name, () => {
  it('keeps labels at least the gap apart, from 0 up', () => {
    expect(spacedTicks([100, 0, 50, 150], 150, 12)).toEqual([0, 50, 100, 150])
    expect(spacedTicks([0, 50, 100, 150], 150, 3)).toEqual([0, 100])
  })
})
