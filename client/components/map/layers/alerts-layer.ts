import { Marker } from 'maplibre-gl'
import type { Map as MapLibreMap } from 'maplibre-gl'
import type { Alert, AlertSeverity } from '@shared/schemas/alerts'
import type { CityModel } from '@shared/schemas/city'
import type { Project } from '../crs'

const SEVERITY_RANK: Record<AlertSeverity, number> = { critical: 0, major: 1, warning: 2, info: 3 }
/** Alerts are few; past this many towns with alerts the least severe are not drawn (DOM markers stay cheap below ~100). */
const MAX_MARKERS = 60

/**
 * Which alerts are news: the first state seen is the snapshot the wall
 * opened with (nothing to fly to); after that, an alert id not seen before.
 */
export class AlertWatch {
  private seen: Set<string> | null = null

  /** Whether the first state has been seen. */
  get started(): boolean {
    return this.seen !== null
  }

  /** The alerts raised since the last call, most severe first; none on the first. */
  raised(alerts: ReadonlyMap<string, Alert>): Alert[] {
    const first = this.seen === null
    const fresh = first ? [] : [...alerts.values()].filter(a => !this.seen?.has(a.id))
    // Only what is still held is remembered: the set is as small as the alerts themselves.
    this.seen = new Set(alerts.keys())
    return fresh.sort((a, b) => SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity])
  }
}

/** The alert a wall should fly to among newly raised ones: a firing critical one. */
export function flyTarget(raised: readonly Alert[]): Alert | undefined {
  return raised.find(a => a.severity === 'critical' && a.status === 'firing')
}

export interface TownAlerts {
  /** '' for alerts without a town: drawn at the city's centre. */
  townCode: string
  worst: Alert
  count: number
}

/** Alerts grouped by town, most severe town first. */
export function alertsByTown(alerts: Iterable<Alert>): TownAlerts[] {
  const byTown = new Map<string, TownAlerts>()
  for (const a of alerts) {
    const code = a.townCode ?? ''
    const held = byTown.get(code)
    if (!held)
      byTown.set(code, { townCode: code, worst: a, count: 1 })
    else {
      held.count += 1
      if (SEVERITY_RANK[a.severity] < SEVERITY_RANK[held.worst.severity])
        held.worst = a
    }
  }
  return [...byTown.values()].sort((x, y) => SEVERITY_RANK[x.worst.severity] - SEVERITY_RANK[y.worst.severity])
}

/**
 * Pulsing DOM markers, one per town with alerts (a CSS animation: alerts
 * are few, and a marker must catch the eye even on a still map).
 */
export class AlertMarkers {
  private readonly markers = new Map<string, { marker: Marker, el: HTMLElement, label: HTMLElement, key: string }>()
  private readonly centres: ReadonlyMap<string, [number, number]>

  constructor(city: CityModel, project: Project) {
    this.centres = new Map([['', project(city.center[0], city.center[1])], ...city.towns.map(t => [t.code, project(t.lng, t.lat)] as [string, [number, number]])])
  }

  /** Where an alert's marker stands. */
  position(townCode: string | null): [number, number] | undefined {
    return this.centres.get(townCode ?? '')
  }

  sync(map: MapLibreMap, alerts: Iterable<Alert>, visible: boolean, describe: (a: Alert, count: number) => string): void {
    const wanted = visible ? alertsByTown(alerts).slice(0, MAX_MARKERS) : []
    const keep = new Set<string>()
    for (const town of wanted) {
      const at = this.position(town.townCode)
      if (!at)
        continue
      keep.add(town.townCode)
      const key = `${town.worst.id}|${town.worst.severity}|${town.worst.status}|${town.count}`
      let held = this.markers.get(town.townCode)
      if (!held) {
        const el = document.createElement('div')
        el.className = 'map-alert'
        el.dataset.town = town.townCode
        const pulse = document.createElement('span')
        pulse.className = 'map-alert__pulse'
        const label = document.createElement('span')
        label.className = 'map-alert__dot'
        el.append(pulse, label)
        held = { marker: new Marker({ element: el }).setLngLat(at).addTo(map), el, label, key: '' }
        this.markers.set(town.townCode, held)
      }
      if (held.key !== key) {
        held.key = key
        held.el.dataset.severity = town.worst.severity
        held.el.dataset.status = town.worst.status
        held.el.dataset.count = String(town.count)
        held.label.textContent = town.count > 1 ? String(town.count) : '!'
        held.el.title = describe(town.worst, town.count)
      }
    }
    for (const [code, held] of this.markers) {
      if (!keep.has(code)) {
        held.marker.remove()
        this.markers.delete(code)
      }
    }
  }

  dispose(): void {
    for (const held of this.markers.values())
      held.marker.remove()
    this.markers.clear()
  }
}
