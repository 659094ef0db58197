import type { Map as MapLibreMap } from 'maplibre-gl'
import type { MapProbe } from './components/map/map-probe'
import type { TickStats } from './realtime/tick-stats'
import type { AlarmProbe } from './wall/alarm-player'

declare global {
  interface Window {
    /** The wall's map, for diagnostics and for the browser tests that ask it what it drew. */
    __iocMap?: MapLibreMap
    /** What the map should show by the stores, for the browser tests (client/components/map/map-probe.ts). */
    __iocMapProbe?: MapProbe
    /** The UI ticks' main-thread time (client/modules/realtime.ts), read by the wall benchmark. */
    __iocTicks?: TickStats
    /** The wall's alarm: chimes played and the AudioContext's state, for the browser tests (client/wall/alarm-player.ts). */
    __iocAlarmProbe?: AlarmProbe
  }
}

export {}
