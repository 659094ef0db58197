/**
 * Reading NGSI attributes whatever the representation: NGSI-v2 normalized
 * (`{ type, value, metadata: { unitCode: { value } } }`), NGSI-LD normalized
 * or concise (`{ type: 'Property', value, unitCode }`, `{ type: 'Relationship',
 * object }`, `{ type: 'GeoProperty', value }`), and key-values (the bare
 * value). JSON-LD typed values (`{ '@type': 'DateTime', '@value': ... }`) are
 * unwrapped. Without an `@context` an LD broker sends user attributes as full
 * URIs (`https://smartdatamodels.org/dataModel.Environment/no2`); they are
 * matched by their last path or fragment segment.
 */

export type Entity = Record<string, unknown>

export interface Attribute {
  /** The attribute's key as sent (for reject paths). */
  key: string
  value: unknown
  unitCode?: string
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `https://…/dataModel.Environment/no2` → `no2`; `ngsi-ld:foo#bar` → `bar`; a plain name stays. */
export function localName(key: string): string {
  return key.slice(Math.max(key.lastIndexOf('/'), key.lastIndexOf('#')) + 1)
}

function unwrapTyped(value: unknown): unknown {
  return isObject(value) && '@value' in value ? value['@value'] : value
}

function unitOf(attribute: Record<string, unknown>): string | undefined {
  if (typeof attribute.unitCode === 'string')
    return attribute.unitCode
  const metadata = attribute.metadata
  if (isObject(metadata)) {
    const unit = metadata.unitCode
    if (typeof unit === 'string')
      return unit
    if (isObject(unit) && typeof unit.value === 'string')
      return unit.value
  }
  return undefined
}

function read(key: string, raw: unknown): Attribute {
  if (isObject(raw) && ('value' in raw || 'object' in raw)) {
    const value = 'value' in raw ? raw.value : raw.object
    const unitCode = unitOf(raw)
    return { key, value: unwrapTyped(value), ...(unitCode === undefined ? {} : { unitCode }) }
  }
  return { key, value: unwrapTyped(raw) }
}

/** The first of `names` the entity carries, by exact key first, then by the local name of a full-URI key. */
export function attribute(entity: Entity, names: readonly string[]): Attribute | undefined {
  for (const name of names) {
    if (Object.hasOwn(entity, name))
      return read(name, entity[name])
  }
  for (const [key, raw] of Object.entries(entity)) {
    if ((key.includes('/') || key.includes('#')) && names.includes(localName(key)))
      return read(key, raw)
  }
  return undefined
}

/**
 * An entity reference as our identifier: the NGSI-LD URN prefix
 * `urn:ngsi-ld:<Type>:` is dropped (`urn:ngsi-ld:PointOfInterest:28079004-Pza.deEspanya`
 * → `28079004-Pza.deEspanya`); any other id is kept as sent. A list of
 * references gives its first. Not a string: passed on for validation to refuse.
 */
export function referenceId(value: unknown): unknown {
  const first = Array.isArray(value) ? (value as unknown[])[0] : value
  return typeof first === 'string' ? first.replace(/^urn:ngsi-ld:[^:]+:/i, '') : first
}

const NO_OFFSET = /T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/
const DURATION = /^P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?(?:(\d+(?:\.\d+)?)S)?)?$/

function durationMs(text: string): number | undefined {
  const m = DURATION.exec(text)
  if (!m || text === 'P' || text.endsWith('T'))
    return undefined
  const [d, h, min, s] = m.slice(1).map(x => Number(x ?? 0)) as [number, number, number, number]
  return (((d * 24 + h) * 60 + min) * 60 + s) * 1000
}

/** The data models define dates as UTC, so a date-time with no offset is read as UTC. */
function withOffset(text: string): string {
  return NO_OFFSET.test(text) ? `${text}Z` : text
}

/**
 * An NGSI date-time as our instant. An ISO 8601 interval gives its end
 * (`start/end`, `duration/end`, or `start/duration` computed). Anything
 * unreadable is passed on unchanged for validation to refuse with a path.
 */
export function instant(value: unknown): unknown {
  if (typeof value !== 'string')
    return value
  const text = value.trim()
  const slash = text.indexOf('/')
  if (slash < 0)
    return withOffset(text)
  const start = text.slice(0, slash)
  const end = text.slice(slash + 1)
  const span = durationMs(end)
  if (span === undefined)
    return withOffset(end)
  const startMs = Date.parse(withOffset(start))
  return Number.isFinite(startMs) ? new Date(startMs + span).toISOString() : text
}
