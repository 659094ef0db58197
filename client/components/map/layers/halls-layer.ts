import type { FeatureCollection, Point } from 'geojson'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { ServiceHall } from '@shared/schemas/city'
import type { HallReading } from '@shared/schemas/halls'
import { SOURCE } from '../city-style'
import type { Project } from '../crs'
import type { UpdateStrategy } from './update-strategy'
import { replaceData } from './update-strategy'

/** What the style reads of a hall: people waiting, pressure (0 fine, 1 warn, 2 critical), open (1) or closed (0). */
export interface HallState {
  waiting: number
  pressure: number
  open: number
}

const PRESSURE: Record<'warn' | 'critical', number> = { warn: 1, critical: 2 }

export function hallState(reading: HallReading): HallState {
  return {
    waiting: reading.waiting,
    pressure: reading.metrics.pressure ? PRESSURE[reading.metrics.pressure] : 0,
    open: reading.windowsOpen > 0 ? 1 : 0,
  }
}

const sameState = (a: HallState | undefined, b: HallState): boolean =>
  a !== undefined && a.waiting === b.waiting && a.pressure === b.pressure && a.open === b.open

/**
 * The service halls as bubbles whose area grows with the queue, ringed by
 * their pressure: feature-state, set only for halls whose queue changed.
 */
export class HallsLayer {
  private readonly index: ReadonlyMap<string, number>
  private readonly drawn = new Map<number, HallState>()

  constructor(private readonly halls: readonly ServiceHall[], private readonly project: Project) {
    this.index = new Map(halls.map((h, i) => [h.id, i]))
  }

  features(states: ReadonlyMap<number, HallState> = new Map()): FeatureCollection<Point, Partial<HallState> & { id: string }> {
    return {
      type: 'FeatureCollection',
      features: this.halls.map((h, i) => ({
        type: 'Feature',
        id: i,
        geometry: { type: 'Point', coordinates: this.project(h.lng, h.lat) },
        properties: { id: h.id, ...states.get(i) },
      })),
    }
  }

  /** The data the style starts with: each hall's queue as the stores hold it, as properties (feature-state takes over). */
  initial(readings: ReadonlyMap<string, HallReading>): FeatureCollection<Point, Partial<HallState> & { id: string }> {
    this.diff(readings)
    return this.features(this.drawn)
  }

  /** [hall index, state] of every hall whose state differs from the one drawn; marks them drawn. */
  diff(readings: ReadonlyMap<string, HallReading>): [number, HallState][] {
    const changed: [number, HallState][] = []
    for (const [hallId, reading] of readings) {
      const i = this.index.get(hallId)
      if (i === undefined)
        continue
      const state = hallState(reading)
      if (!sameState(this.drawn.get(i), state)) {
        this.drawn.set(i, state)
        changed.push([i, state])
      }
    }
    return changed
  }

  sync(map: MapLibreMap, readings: ReadonlyMap<string, HallReading>, strategy: UpdateStrategy): number {
    const changed = this.diff(readings)
    if (strategy === 'setData') {
      replaceData(map, SOURCE.halls, this.features(this.drawn))
      return changed.length
    }
    for (const [id, state] of changed)
      map.setFeatureState({ source: SOURCE.halls, id }, { ...state })
    return changed.length
  }
}
