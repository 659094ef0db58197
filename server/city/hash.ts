/**
 * Deterministic "randomness" keyed by name: the generated city looks varied
 * but is the same on every start, and one road's shape does not change when
 * another road is added (which a single shared PRNG stream would cause).
 */
export function hashUnit(key: string): number {
  let h = 0x811C9DC5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  // A final avalanche (murmur3 fmix32): FNV alone leaves similar keys close.
  h ^= h >>> 16
  h = Math.imul(h, 0x85EBCA6B)
  h ^= h >>> 13
  h = Math.imul(h, 0xC2B2AE35)
  h ^= h >>> 16
  return (h >>> 0) / 4294967296
}

/** Uniform in [-1, 1). */
export function hashSigned(key: string): number {
  return hashUnit(key) * 2 - 1
}

/** An integer in [min, max], both included. */
export function hashInt(key: string, min: number, max: number): number {
  return min + Math.floor(hashUnit(key) * (max - min + 1))
}
