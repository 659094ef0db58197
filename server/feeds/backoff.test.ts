import { describe, expect, it } from 'vitest'
import { Random } from './random'
import { Backoff, describeError, sleep } from './backoff'

describe(Backoff.name, () => {
  it('draws between the base and a ceiling that doubles per failure, capped at the maximum', () => {
    const draws = [0, 1, 0.5, 1, 1, 1, 0.25]
    const backoff = new Backoff({ baseMs: 100, maxMs: 1000, random: () => draws.shift() ?? 0 })
    // ceilings: 100, 200, 400, 800, 1000, 1000, 1000
    expect([1, 2, 3, 4, 5, 6, 7].map(() => backoff.next())).toEqual([100, 200, 250, 800, 1000, 1000, 325])
    expect(backoff.consecutiveFailures).toBe(7)
  })

  it('starts over from the base after a success', () => {
    const backoff = new Backoff({ baseMs: 50, maxMs: 10_000, random: () => 1 })
    backoff.next()
    backoff.next()
    expect(backoff.next()).toBe(200)
    backoff.reset()
    expect(backoff.next()).toBe(50)
  })

  it('stays within [base, min(max, base·2^n)] for any seeded jitter', () => {
    const rng = new Random(42)
    const backoff = new Backoff({ baseMs: 10, maxMs: 5000, random: () => rng.next() })
    const seen = new Set<number>()
    for (let n = 0; n < 200; n++) {
      const ceiling = Math.min(5000, 10 * 2 ** n)
      const wait = backoff.next()
      expect(wait).toBeGreaterThanOrEqual(10)
      expect(wait).toBeLessThanOrEqual(ceiling)
      seen.add(wait)
    }
    // Full jitter really spreads: not one repeated value.
    expect(seen.size).toBeGreaterThan(100)
  })
})

describe(sleep.name, () => {
  it('resolves true after the wait and false when aborted', async () => {
    const controller = new AbortController()
    expect(await sleep(5, controller.signal)).toBe(true)
    const pending = sleep(60_000, controller.signal)
    controller.abort()
    expect(await pending).toBe(false)
    expect(await sleep(1, controller.signal)).toBe(false)
  })
})

describe(describeError.name, () => {
  it('names timeouts and the cause fetch hides', () => {
    expect(describeError(new DOMException('x', 'TimeoutError'))).toBe('timed out')
    expect(describeError(new TypeError('fetch failed', { cause: new Error('ECONNREFUSED') }))).toBe('fetch failed: ECONNREFUSED')
    expect(describeError('plain')).toBe('plain')
  })
})
