import type { FeatureCollection, LineString } from 'geojson'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { RoadSegment } from '@shared/schemas/city'
import type { CongestionGrade, RoadClass, SegmentUpdate } from '@shared/schemas/traffic'
import { CONGESTION_GRADE_INFO } from '@shared/traffic/congestion'
import { SOURCE } from '../city-style'
import type { Project } from '../crs'
import type { UpdateStrategy } from './update-strategy'
import { replaceData } from './update-strategy'

/** Grades as the style reads them: 1 (free) … 5 (severe); 0 is no reading yet. */
export const GRADE_LEVEL: Readonly<Record<CongestionGrade, number>> = Object.fromEntries(CONGESTION_GRADE_INFO.map(g => [g.grade, g.level])) as Record<CongestionGrade, number>

/** Relative line width by road class (the style's `w`); also the draw order, expressways on top. */
const CLASS_WIDTH: Readonly<Record<RoadClass, number>> = { expressway: 1, arterial: 0.7, secondary: 0.5, branch: 0.35 }

export interface RoadProperties { w: number, grade?: number }

/** The static road network: feature id = the segment's index in the city model. */
export function roadFeatures(roads: readonly RoadSegment[], project: Project): FeatureCollection<LineString, RoadProperties> {
  return {
    type: 'FeatureCollection',
    features: roads.map((r, i) => ({
      type: 'Feature',
      id: i,
      geometry: { type: 'LineString', coordinates: r.path.map(([lng, lat]) => project(lng, lat)) },
      properties: { w: CLASS_WIDTH[r.roadClass] },
    })),
  }
}

/**
 * The road segments' grades on the map. Geometry never changes; a grade is
 * feature-state, set only for segments whose grade differs from what was
 * last drawn (a traffic tick changes a few per cent of them).
 */
export class RoadsLayer {
  private readonly index: ReadonlyMap<string, number>
  /** The grade last drawn per segment index (0: none yet). */
  private readonly drawn: Uint8Array
  private readonly features: FeatureCollection<LineString, RoadProperties>

  constructor(roads: readonly RoadSegment[], project: Project) {
    this.index = new Map(roads.map((r, i) => [r.id, i]))
    this.drawn = new Uint8Array(roads.length)
    this.features = roadFeatures(roads, project)
  }

  /** The static data the style starts with. */
  get initial(): FeatureCollection<LineString, RoadProperties> {
    return this.features
  }

  /** [segment index, grade level] of every segment whose grade differs from the one drawn; marks them drawn. */
  diff(segments: ReadonlyMap<string, SegmentUpdate>): [number, number][] {
    const changed: [number, number][] = []
    for (const [id, [, , grade]] of segments) {
      const i = this.index.get(id)
      if (i === undefined)
        continue
      const level = GRADE_LEVEL[grade]
      if (this.drawn[i] !== level) {
        this.drawn[i] = level
        changed.push([i, level])
      }
    }
    return changed
  }

  /** The grade drawn for a segment (tests ask the map for its feature-state and compare). */
  drawnLevel(segmentId: string): number {
    const i = this.index.get(segmentId)
    return i === undefined ? 0 : (this.drawn[i] ?? 0)
  }

  /** Brings the map up to `segments`; returns how many segments changed. */
  sync(map: MapLibreMap, segments: ReadonlyMap<string, SegmentUpdate>, strategy: UpdateStrategy): number {
    const changed = this.diff(segments)
    if (strategy === 'setData') {
      // The naive way: every segment with its grade, the whole collection replaced.
      replaceData(map, SOURCE.roads, {
        type: 'FeatureCollection',
        features: this.features.features.map((f, i) => ({ ...f, properties: { ...f.properties, grade: this.drawn[i] ?? 0 } })),
      })
      return changed.length
    }
    for (const [id, grade] of changed)
      map.setFeatureState({ source: SOURCE.roads, id }, { grade })
    return changed.length
  }
}
