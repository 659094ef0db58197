import type { Feature, FeatureCollection, Point } from 'geojson'
import type { GeoJSONFeatureDiff, GeoJSONSourceDiff, Map as MapLibreMap } from 'maplibre-gl'
import type { Town } from '@shared/schemas/city'
import type { Incident } from '@shared/schemas/incidents'
import { SOURCE } from '../city-style'
import type { Project } from '../crs'
import type { UpdateStrategy } from './update-strategy'
import { applyDiff, propertyUpdates, replaceData } from './update-strategy'

/** 0/1 flags, so that clusters can sum them (clusterProperties). */
export type IncidentProperties = {
  id: string
  open: number
  urgent: number
  overdue: number
  /** 1: no location reported, drawn at its town's centre. */
  approx: number
}

type IncidentFeature = Feature<Point, IncidentProperties>

interface Drawn { fid: number, key: string }

/**
 * The 12345 work orders the wall holds (at most 500: the stream's mirror),
 * clustered, over a heatmap of the open ones. They come, change and go, so
 * both sources take `updateData` diffs keyed by id: the ones added, the ones
 * whose version, place or lateness changed, and the ones gone.
 */
export class IncidentsLayer {
  private readonly drawn = new Map<string, Drawn>()
  private nextFid = 1
  private readonly centres: ReadonlyMap<string, Town>

  constructor(towns: readonly Town[], private readonly project: Project) {
    this.centres = new Map(towns.map(t => [t.code, t]))
  }

  /** Where an incident is drawn: where it was reported, else its town's centre; null when neither is known. */
  private feature(incident: Incident, fid: number, now: number): IncidentFeature | null {
    const at = incident.location ?? (incident.townCode ? this.centres.get(incident.townCode) : undefined)
    if (!at)
      return null
    const open = incident.status === 'open'
    return {
      type: 'Feature',
      id: fid,
      geometry: { type: 'Point', coordinates: this.project(at.lng, at.lat) },
      properties: {
        id: incident.id,
        open: open ? 1 : 0,
        urgent: incident.urgency === 'urgent' ? 1 : 0,
        overdue: open && Date.parse(incident.dueAt) < now ? 1 : 0,
        approx: incident.location ? 0 : 1,
      },
    }
  }

  /** All drawable incidents as one collection (the naive strategy's data); assigns ids as `diff` would. */
  features(incidents: ReadonlyMap<string, Incident>, now: number): FeatureCollection<Point, IncidentProperties> {
    const features: IncidentFeature[] = []
    for (const incident of incidents.values()) {
      const fid = this.drawn.get(incident.id)?.fid ?? this.nextFid++
      const f = this.feature(incident, fid, now)
      if (f)
        features.push(f)
    }
    return { type: 'FeatureCollection', features }
  }

  /** The data the style starts with: the incidents the stream holds already, marked drawn. */
  initial(incidents: ReadonlyMap<string, Incident>, now: number): FeatureCollection<Point, IncidentProperties> {
    this.diff(incidents, now)
    return this.features(incidents, now)
  }

  /** What changed since the last diff, at server time `now` (which decides lateness); marks it drawn. */
  diff(incidents: ReadonlyMap<string, Incident>, now: number): GeoJSONSourceDiff {
    const add: IncidentFeature[] = []
    const update: GeoJSONFeatureDiff[] = []
    const remove: number[] = []
    for (const [id, held] of this.drawn) {
      if (!incidents.has(id)) {
        remove.push(held.fid)
        this.drawn.delete(id)
      }
    }
    for (const incident of incidents.values()) {
      const held = this.drawn.get(incident.id)
      const fid = held?.fid ?? this.nextFid++
      const f = this.feature(incident, fid, now)
      const key = f ? `${incident.version}|${f.properties.overdue}|${String(f.geometry.coordinates)}` : ''
      if (held?.key === key)
        continue
      if (!f) {
        // It lost its place (cannot happen with today's feeds, but a diff must not leave it drawn).
        if (held) {
          remove.push(held.fid)
          this.drawn.delete(incident.id)
        }
        continue
      }
      this.drawn.set(incident.id, { fid, key })
      if (held)
        // Every property is set anew (the keys never change). Not `removeAllProperties`: with it MapLibre 6.17 drops the point from its cluster's sums.
        update.push({ id: fid, newGeometry: f.geometry, addOrUpdateProperties: propertyUpdates(f.properties) })
      else
        add.push(f)
    }
    return { ...(remove.length > 0 ? { remove } : {}), ...(add.length > 0 ? { add } : {}), ...(update.length > 0 ? { update } : {}) }
  }

  /** How many incidents are drawn (bounded by the stream's mirror). */
  get size(): number {
    return this.drawn.size
  }

  sync(map: MapLibreMap, incidents: ReadonlyMap<string, Incident>, now: number, strategy: UpdateStrategy): number {
    const diff = this.diff(incidents, now)
    const changes = (diff.add?.length ?? 0) + (diff.update?.length ?? 0) + (diff.remove?.length ?? 0)
    if (strategy === 'setData') {
      const data = this.features(incidents, now)
      replaceData(map, SOURCE.incidents, data)
      replaceData(map, SOURCE.incidentHeat, data)
    }
    else if (changes > 0) {
      applyDiff(map, SOURCE.incidents, diff)
      // Each source gets its own arrays: a source may merge a diff into one still waiting for its worker.
      applyDiff(map, SOURCE.incidentHeat, { ...diff, ...(diff.add ? { add: [...diff.add] } : {}), ...(diff.update ? { update: [...diff.update] } : {}), ...(diff.remove ? { remove: [...diff.remove] } : {}) })
    }
    return changes
  }
}
