import { describe, expect, it } from 'vitest'
import { SCENE_IDS } from '@shared/schemas/wall'
import { chooseMetric, SCENE_VIEWS, sceneView, toggleOverlay } from './map-view'

describe('the map view of each scene', () => {
  it('gives every wall scene a view, overview by default', () => {
    expect(Object.keys(SCENE_VIEWS).sort()).toEqual([...SCENE_IDS].sort())
    expect(sceneView(undefined)).toBe(SCENE_VIEWS.overview)
  })

  it('colours and overlays per scene, alerts on in every one', () => {
    const summary = (scene: keyof typeof SCENE_VIEWS): [string | null, string[]] => [SCENE_VIEWS[scene].metric, [...SCENE_VIEWS[scene].overlays].sort()]
    expect(summary('overview')).toEqual(['aqi', ['alerts', 'halls', 'incidents', 'roads', 'stations']])
    expect(summary('air')).toEqual(['aqi', ['alerts', 'stations']])
    expect(summary('traffic')).toEqual(['tpi', ['alerts', 'roads']])
    expect(summary('halls')).toEqual(['waitingPerWindow', ['alerts', 'halls']])
    expect(summary('incidents')).toEqual(['openIncidents', ['alerts', 'incidents']])
  })

  it('lets an operator switch overlays and the metric without touching the scene\'s own view', () => {
    const air = SCENE_VIEWS.air
    const withRoads = toggleOverlay(air, 'roads')
    expect(withRoads.overlays.has('roads')).toBe(true)
    expect(air.overlays.has('roads')).toBe(false)
    expect(toggleOverlay(withRoads, 'roads').overlays.has('roads')).toBe(false)
    expect(chooseMetric(air, 'tpi').metric).toBe('tpi')
    // The current metric again: no colouring.
    expect(chooseMetric(air, 'aqi').metric).toBeNull()
    expect(air.metric).toBe('aqi')
  })
})
