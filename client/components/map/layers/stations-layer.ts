import type { FeatureCollection, Point } from 'geojson'
import type { GeoJSONFeatureDiff, Map as MapLibreMap } from 'maplibre-gl'
import { levelInfo, levelTextColor } from '@shared/air/levels'
import type { AirStation, StationReading } from '@shared/schemas/air'
import { SOURCE } from '../city-style'
import type { Project } from '../crs'
import type { UpdateStrategy } from './update-strategy'
import { applyDiff, propertyUpdates, replaceData } from './update-strategy'

const NO_DATA_COLOR = '#56657a'
/** What a station shows before its first reading. */
export const NO_AQI = '—'

export interface StationProperties {
  id: string
  name: string
  /** The AQI as text (symbol text cannot come from feature-state), NO_AQI without a rated reading. */
  aqi: string
  color: string
  textColor: string
  level: number
}

/** What a station shows for a reading (or none). */
export function stationLook(reading: StationReading | undefined): Pick<StationProperties, 'aqi' | 'color' | 'textColor' | 'level'> {
  const aqi = reading?.aqi.aqi ?? null
  const level = reading?.aqi.level ?? null
  return {
    aqi: aqi === null ? NO_AQI : String(aqi),
    color: level ? levelInfo(level).color : NO_DATA_COLOR,
    textColor: level ? levelTextColor(level) : '#ffffff',
    level: level ?? 0,
  }
}

/**
 * The air stations, coloured by AQI level, each with its value as text (so
 * the level reads without colour). The value is a label, so it travels as a
 * property: `updateData` with only the stations whose value changed.
 */
export class StationsLayer {
  private readonly drawn: Map<string, string>
  private readonly index: ReadonlyMap<string, number>

  constructor(private readonly stations: readonly AirStation[], private readonly project: Project) {
    this.index = new Map(stations.map((s, i) => [s.id, i]))
    this.drawn = new Map(stations.map(s => [s.id, `${NO_AQI}/0`]))
  }

  features(readings: ReadonlyMap<string, StationReading>): FeatureCollection<Point, StationProperties> {
    return {
      type: 'FeatureCollection',
      features: this.stations.map((s, i) => ({
        type: 'Feature',
        id: i,
        geometry: { type: 'Point', coordinates: this.project(s.lng, s.lat) },
        properties: { id: s.id, name: s.name, ...stationLook(readings.get(s.id)) },
      })),
    }
  }

  /** The data the style starts with: the readings the stores hold already, marked drawn. */
  initial(readings: ReadonlyMap<string, StationReading>): FeatureCollection<Point, StationProperties> {
    this.diff(readings)
    return this.features(readings)
  }

  /** Property updates for the stations whose shown value changed; marks them drawn. */
  diff(readings: ReadonlyMap<string, StationReading>): GeoJSONFeatureDiff[] {
    const updates: GeoJSONFeatureDiff[] = []
    for (const [stationId, reading] of readings) {
      const i = this.index.get(stationId)
      const look = stationLook(reading)
      const key = `${look.aqi}/${look.level}`
      if (i === undefined || this.drawn.get(stationId) === key)
        continue
      this.drawn.set(stationId, key)
      updates.push({ id: i, addOrUpdateProperties: propertyUpdates(look) })
    }
    return updates
  }

  sync(map: MapLibreMap, readings: ReadonlyMap<string, StationReading>, strategy: UpdateStrategy): number {
    const update = this.diff(readings)
    if (strategy === 'setData')
      replaceData(map, SOURCE.stations, this.features(readings))
    else if (update.length > 0)
      applyDiff(map, SOURCE.stations, { update })
    return update.length
  }
}
