import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson'
import type { Map as MapLibreMap } from 'maplibre-gl'
import { SOURCE } from '../city-style'
import type { TownAreaProperties } from '../town-areas'
import type { UpdateStrategy } from './update-strategy'
import { replaceData } from './update-strategy'

/** Shown for a town without a value; the style draws it in the no-data colour. */
const NO_VALUE = -1

/**
 * The towns' choropleth values: feature-state `value` per town area, set for
 * the towns whose value changed (a new metric changes them all).
 */
export class TownsLayer {
  private readonly drawn = new Map<number, number>()

  constructor(private readonly areas: FeatureCollection<Polygon | MultiPolygon, TownAreaProperties>) {}

  /** [feature id, value] of the towns whose value differs from the one drawn; marks them drawn. */
  diff(values: ReadonlyMap<string, number>): [number, number][] {
    const changed: [number, number][] = []
    for (const f of this.areas.features) {
      const id = f.id as number
      const value = values.get(f.properties.code) ?? NO_VALUE
      if (this.drawn.get(id) !== value) {
        this.drawn.set(id, value)
        changed.push([id, value])
      }
    }
    return changed
  }

  /** The areas with the drawn values as properties (the naive strategy's data, and the style's first). */
  private withValues(): FeatureCollection<Polygon | MultiPolygon, TownAreaProperties & { value: number }> {
    return {
      type: 'FeatureCollection',
      features: this.areas.features.map(f => ({ ...f, properties: { ...f.properties, value: this.drawn.get(f.id as number) ?? NO_VALUE } })),
    }
  }

  /** The data the style starts with: the values the stores give now, marked drawn. */
  initial(values: ReadonlyMap<string, number>): FeatureCollection<Polygon | MultiPolygon, TownAreaProperties & { value: number }> {
    this.diff(values)
    return this.withValues()
  }

  sync(map: MapLibreMap, values: ReadonlyMap<string, number>, strategy: UpdateStrategy): number {
    const changed = this.diff(values)
    if (strategy === 'setData') {
      replaceData(map, SOURCE.townAreas, this.withValues())
      return changed.length
    }
    for (const [id, value] of changed)
      map.setFeatureState({ source: SOURCE.townAreas, id }, { value })
    return changed.length
  }

  /** The value drawn for a town (tests compare it with the stores'). */
  drawnValue(code: string): number | undefined {
    const f = this.areas.features.find(a => a.properties.code === code)
    return f ? this.drawn.get(f.id as number) : undefined
  }
}
