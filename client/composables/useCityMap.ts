import { Map as MapLibreMap, setWorkerUrl } from 'maplibre-gl'
// The worker ships as its own module file; the bundler must copy it and tell MapLibre where it is.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import type { GeoJSONSource, StyleSpecification } from 'maplibre-gl'
import type { Ref } from 'vue'
import { onBeforeUnmount, onMounted, shallowRef } from 'vue'

setWorkerUrl(workerUrl)

/**
 * One MapLibre map for the component's life: created on mount with the given
 * style and bounds, resized with its container, removed on unmount.
 */
export function useCityMap(el: Ref<HTMLElement | null>, init: () => { style: StyleSpecification, bounds: [number, number, number, number] }) {
  const map = shallowRef<MapLibreMap | null>(null)
  const loaded = shallowRef(false)
  let observer: ResizeObserver | undefined

  onMounted(() => {
    if (!el.value)
      return
    const { style, bounds } = init()
    const instance = new MapLibreMap({
      container: el.value,
      style,
      bounds,
      fitBoundsOptions: { padding: 24 },
      attributionControl: { compact: true },
      dragRotate: false,
      pitchWithRotate: false,
      fadeDuration: 0,
    })
    instance.on('load', () => {
      loaded.value = true
    })
    observer = new ResizeObserver(() => {
      instance.resize()
      instance.fitBounds(bounds, { padding: 24, animate: false })
    })
    observer.observe(el.value)
    map.value = instance
    window.__iocMap = instance
  })

  onBeforeUnmount(() => {
    observer?.disconnect()
    map.value?.remove()
    map.value = null
    if (window.__iocMap)
      delete window.__iocMap
  })

  /** Replaces a GeoJSON source's data, once the style has it. */
  function setSourceData(id: string, data: Parameters<GeoJSONSource['setData']>[0]): void {
    const source = map.value?.getSource<GeoJSONSource>(id)
    // setData resolves when the worker has the data; a failure there is logged, the next update retries.
    source?.setData(data)?.catch((err: unknown) => console.error('[map] setData failed', err))
  }

  return { map, loaded, setSourceData }
}
