/** A small seeded PRNG (mulberry32): the simulator replays the same city for the same seed. */
export class Random {
  private state: number

  constructor(seed: number) {
    this.state = seed >>> 0
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6D2B79F5) >>> 0
    let t = this.state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  between(min: number, max: number): number {
    return min + (max - min) * this.next()
  }

  /** An integer in [min, max], both included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** Standard normal, by Box–Muller. */
  normal(): number {
    const u = 1 - this.next()
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.next())
  }

  chance(p: number): boolean {
    return this.next() < p
  }

  pick<T>(items: readonly T[]): T {
    const item = items[Math.floor(this.next() * items.length)]
    if (item === undefined)
      throw new RangeError('pick from an empty list')
    return item
  }

  /** An index drawn with probability proportional to its weight. */
  weightedIndex(weights: readonly number[]): number {
    let total = 0
    for (const w of weights) total += w > 0 ? w : 0
    if (!(total > 0))
      throw new RangeError('weighted pick needs a positive weight')
    let x = this.next() * total
    for (let i = 0; i < weights.length; i++) {
      const w = weights[i] ?? 0
      if (w <= 0)
        continue
      x -= w
      if (x < 0)
        return i
    }
    return weights.findLastIndex(w => w > 0)
  }

  /**
   * A Poisson count with mean `lambda`. Knuth's product method for small
   * means; above 30 the normal approximation, which is within a fraction of
   * a percent there and does not loop thousands of times.
   */
  poisson(lambda: number): number {
    if (!(lambda > 0))
      return 0
    if (lambda > 30)
      return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * this.normal()))
    const limit = Math.exp(-lambda)
    let k = 0
    let p = this.next()
    while (p > limit) {
      k++
      p *= this.next()
    }
    return k
  }

  /** Log-normal with the given mean and coefficient of variation: service times, durations. */
  lognormal(mean: number, cv: number): number {
    const sigma2 = Math.log(1 + cv * cv)
    return mean * Math.exp(Math.sqrt(sigma2) * this.normal() - sigma2 / 2)
  }
}

/**
 * A seed for one part of the simulator, from the run's seed and a label: each
 * part draws from its own stream, so that adding a draw in one domain (or a
 * scenario) does not shift every other domain's numbers.
 */
export function deriveSeed(seed: number, label: string): number {
  let h = (seed ^ 0x811C9DC5) >>> 0
  for (let i = 0; i < label.length; i++)
    h = Math.imul(h ^ label.charCodeAt(i), 0x01000193) >>> 0
  // One round of murmur3's finaliser spreads the low-entropy FNV result.
  h = Math.imul(h ^ (h >>> 16), 0x85EBCA6B) >>> 0
  h = Math.imul(h ^ (h >>> 13), 0xC2B2AE35) >>> 0
  return (h ^ (h >>> 16)) >>> 0
}
