import { describe, expect, it } from 'vitest'
import { historyClock } from './load'

describe('historyClock', () => {
  it('starts in the past, plays it fast until it meets the real clock, then runs at its own speed', () => {
    let real = 1_000_000
    const HOUR = 3_600_000
    const clock = historyClock(4 * HOUR, 721, 6, () => real)
    // 4 h played at 721×: it meets the real clock after 4 h / 720 = 20 s.
    expect(clock.now()).toBe(real - 4 * HOUR)
    expect(clock.presentAt).toBe(1_000_000 + 20_000)
    real += 10_000
    expect(clock.now()).toBe(1_000_000 - 4 * HOUR + 10_000 * 721)
    real = clock.presentAt
    expect(clock.now()).toBe(real)
    real += 1000
    expect(clock.now()).toBe(clock.presentAt + 6000)
  })
})
