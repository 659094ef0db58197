import type { Ref } from 'vue'
import { onBeforeUnmount, shallowRef, watch } from 'vue'
import { useRemPx } from '@client/composables/useRemPx'

/** An element's content box in rem (the wall's unit), 0 × 0 until it is there. */
export interface BoxSize {
  width: number
  height: number
}

/**
 * The size of an element that may appear after mount (a panel's content is
 * rendered only once its stream is live), followed through one
 * ResizeObserver for the component's life. Charts pick how much to draw from
 * it: the same panel is a short card on the overview and a tall one on its
 * own scene.
 */
export function useBoxSize(el: Ref<HTMLElement | null>): Readonly<Ref<BoxSize>> {
  const rem = useRemPx()
  const px = shallowRef({ width: 0, height: 0 })
  const size = shallowRef<BoxSize>({ width: 0, height: 0 })
  const observer = new ResizeObserver(([entry]) => {
    if (entry)
      px.value = { width: entry.contentRect.width, height: entry.contentRect.height }
  })
  watch(el, (next, previous) => {
    if (previous)
      observer.unobserve(previous)
    if (next)
      observer.observe(next)
  }, { immediate: true, flush: 'post' })
  // Rounded to a tenth of a rem: sub-pixel jitter must not rebuild the charts.
  watch([px, rem], ([p, r]) => {
    const next = { width: Math.round((p.width / r) * 10) / 10, height: Math.round((p.height / r) * 10) / 10 }
    if (next.width !== size.value.width || next.height !== size.value.height)
      size.value = next
  })
  onBeforeUnmount(() => observer.disconnect())
  return size
}
