/**
 * Which panels each scene shows, column by column. A 16:9 wall has one column
 * each side of the map; a 32:9 ultrawide has two, the outer ones holding what
 * a 16:9 wall leaves out. The map stays in the centre in every scene (one
 * MapLibre instance for the life of the page), the KPI tiles above it and the
 * alert ticker and incident stream along the bottom.
 */
import type { SceneId } from '@shared/schemas/wall'

export const PANEL_IDS = [
  'air.city', 'air.pollutants', 'air.levels', 'air.ranking', 'air.trend24h',
  'traffic.tpi', 'traffic.grades', 'traffic.towns',
  'halls.top', 'halls.trend', 'halls.ratings',
  'incidents.intake', 'incidents.categories', 'incidents.departments', 'incidents.onTime', 'incidents.feed',
  'feeds',
] as const
export type PanelId = (typeof PANEL_IDS)[number]

export interface SceneLayout {
  left: readonly PanelId[]
  right: readonly PanelId[]
  /** Only on walls at least twice as wide as tall. */
  outerLeft: readonly PanelId[]
  outerRight: readonly PanelId[]
  /** The 24-hour KPI trends under the map. */
  trendsUnderMap: boolean
}

export const SCENE_LAYOUTS: Readonly<Record<SceneId, SceneLayout>> = {
  overview: {
    left: ['air.city', 'air.trend24h', 'traffic.tpi', 'traffic.grades'],
    right: ['halls.top', 'halls.ratings', 'incidents.intake', 'incidents.categories'],
    outerLeft: ['air.ranking', 'traffic.towns'],
    outerRight: ['incidents.onTime', 'incidents.departments', 'feeds'],
    trendsUnderMap: true,
  },
  air: {
    left: ['air.city', 'air.pollutants', 'air.levels'],
    right: ['air.trend24h', 'air.ranking'],
    outerLeft: ['traffic.tpi'],
    outerRight: ['feeds'],
    trendsUnderMap: false,
  },
  traffic: {
    left: ['traffic.tpi', 'traffic.grades'],
    right: ['traffic.towns'],
    outerLeft: ['air.city'],
    outerRight: ['incidents.categories'],
    trendsUnderMap: true,
  },
  halls: {
    left: ['halls.top'],
    right: ['halls.trend', 'halls.ratings'],
    outerLeft: ['traffic.tpi'],
    outerRight: ['incidents.intake'],
    trendsUnderMap: false,
  },
  incidents: {
    left: ['incidents.intake', 'incidents.categories'],
    right: ['incidents.onTime', 'incidents.departments', 'incidents.feed'],
    outerLeft: ['halls.top'],
    outerRight: ['feeds'],
    trendsUnderMap: false,
  },
}
