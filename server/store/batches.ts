/** Rows per INSERT: far below SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
export const ROWS_PER_STATEMENT = 500

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size)
    out.push(items.slice(i, i + size))
  return out
}

/**
 * One item per key, ordered by key. `replaces(held, next)` says whether a later
 * item wins over the one held. SQLite applies an upsert's rows in turn, but
 * PostgreSQL refuses one that touches a row twice, so batches are folded
 * first, to SQLite's answer. The key order gives concurrent PostgreSQL writers
 * one lock order, so they queue instead of deadlocking.
 */
export function onePerKey<T>(items: readonly T[], key: (item: T) => string, replaces: (held: T, next: T) => boolean): T[] {
  const kept = new Map<string, T>()
  for (const item of items) {
    const k = key(item)
    const held = kept.get(k)
    if (held === undefined || replaces(held, item))
      kept.set(k, item)
  }
  return [...kept.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item)
}
