import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl'
// The worker ships as its own module file; the bundler must copy it and tell MapLibre where it is.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import type { PaddingOptions, StyleSpecification } from 'maplibre-gl'
import type { Ref } from 'vue'
import { onBeforeUnmount, shallowRef } from 'vue'

setWorkerUrl(workerUrl)

export interface CityMapInit {
  style: StyleSpecification
  bounds: [number, number, number, number]
  /** Space kept around the city when it is fitted, CSS px. */
  padding: PaddingOptions
}

/**
 * One MapLibre map for the component's life: created once (`create`, when
 * what the style needs has arrived), never re-created, removed on unmount
 * (MapLibre's remove() also gives the WebGL context back). The map follows
 * its container's size itself; the owner hears of it through the map's
 * `resize` event. The instance is `window.__iocMap` for diagnostics and tests.
 */
export function useCityMap(el: Ref<HTMLElement | null>) {
  const map = shallowRef<MapLibreMap | null>(null)
  const loaded = shallowRef(false)
  let unmounted = false

  function create(init: CityMapInit): MapLibreMap | null {
    if (unmounted || map.value || !el.value)
      return null
    const instance = new MapLibreMap({
      container: el.value,
      style: init.style,
      bounds: init.bounds,
      fitBoundsOptions: { padding: init.padding },
      attributionControl: { compact: true },
      dragRotate: false,
      pitchWithRotate: false,
      touchPitch: false,
      renderWorldCopies: false,
      fadeDuration: 0,
    })
    instance.touchZoomRotate.disableRotation()
    // The style is in: its sources take data and feature-state from now on. Not MapLibre's `load`, which
    // waits until every tile has been drawn once (seconds on a busy wall, where the map would show stale data meanwhile).
    instance.once('style.load', () => {
      loaded.value = true
    })
    instance.once('load', () => {
      // The credits fold into their ⓘ button, as they do after a first touch: a wall shows them on request only.
      const credits = el.value?.querySelector('.maplibregl-ctrl-attrib.maplibregl-compact-show')
      credits?.classList.remove('maplibregl-compact-show')
      credits?.setAttribute('open', '')
    })
    map.value = instance
    window.__iocMap = instance
    return instance
  }

  onBeforeUnmount(() => {
    unmounted = true
    map.value?.remove()
    map.value = null
    loaded.value = false
    if (window.__iocMap)
      delete window.__iocMap
  })

  return { map, loaded, create }
}
