import type { Random } from '../random'

/**
 * How a feed record is broken, the ways real feeds break them: a field of the
 * wrong type, a field missing, a NaN, an unreadable timestamp, an entity the
 * city does not know.
 */
export interface FaultShape {
  /** The entity key (stationId, segmentId, hallId) or a reference (townCode). */
  idKey: string
  /** What an unknown entity looks like: still well-formed, so only the entity check catches it. */
  unknownId: (rng: Random) => string
  timeKey: string
  /** Numeric fields, as paths: `speedKmh`, `location.lng`. */
  numbers: readonly string[]
  /** Fields the schema requires. */
  required: readonly string[]
}

export const FAULT_KINDS = ['wrong-type', 'missing-key', 'nan', 'bad-time', 'unknown-entity'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

const BAD_TIMES = ['not a time', '2026-13-45T25:61:00Z', '23/11/2026 08:30', '']

function clone(record: object): Record<string, unknown> {
  return structuredClone(record) as Record<string, unknown>
}

/** Sets a value at a dotted path, creating nothing: a missing parent stays missing. */
function setPath(record: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.')
  let target: Record<string, unknown> = record
  for (const key of keys.slice(0, -1)) {
    const next = target[key]
    if (typeof next !== 'object' || next === null)
      return
    target = next as Record<string, unknown>
  }
  target[keys[keys.length - 1] as string] = value
}

/** A broken copy of a record; the original is left as it was. */
export function corrupt(record: object, shape: FaultShape, rng: Random): { kind: FaultKind, record: Record<string, unknown> } {
  const kind = rng.pick(FAULT_KINDS)
  const out = clone(record)
  switch (kind) {
    case 'wrong-type':
      setPath(out, rng.pick(shape.numbers), rng.pick(['ERR', '--', 'null', '12,5']))
      break
    case 'missing-key':
      delete out[rng.pick(shape.required)]
      break
    case 'nan':
      setPath(out, rng.pick(shape.numbers), Number.NaN)
      break
    case 'bad-time':
      out[shape.timeKey] = rng.pick(BAD_TIMES)
      break
    case 'unknown-entity':
      out[shape.idKey] = shape.unknownId(rng)
      break
  }
  return { kind, record: out }
}
