import type { Map as MapLibreMap } from 'maplibre-gl'

declare global {
  interface Window {
    /** The wall's map, for diagnostics and for the browser tests that ask it what it drew. */
    __iocMap?: MapLibreMap
  }
}

export {}
