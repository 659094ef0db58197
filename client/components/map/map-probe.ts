import type { UpdateStrategy } from './layers/update-strategy'
import type { ChoroplethMetric } from './map-view'

/**
 * What the browser tests and the benchmark may ask the map besides MapLibre
 * itself (`window.__iocMap`): what the stores say it should show right now.
 */
export interface MapProbe {
  strategy: UpdateStrategy
  /** The map has loaded its style and the live layers follow the stores. */
  ready: () => boolean
  /** The zoom at which the whole city fits. */
  fitZoom: () => number
  /** Stations whose reading in the stores has an AQI. */
  storeRatedStations: () => number
  /** The stores' congestion grade (1–5) of every segment that has one, by its index in the city model. */
  storeGrades: () => Record<number, number>
  /** The current choropleth metric and each town's value from the stores, by town code. */
  townValues: () => { metric: ChoroplethMetric | null, values: Record<string, number> }
  /** Whether the map has taken the alerts stream's first state (alerts raised after it are news it flies to). */
  alertsReady: () => boolean
}
