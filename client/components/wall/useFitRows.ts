import type { Ref } from 'vue'
import { onBeforeUnmount, shallowRef, watch } from 'vue'

/**
 * How many rows of `rowRem` fit the element's height, between 1 and `max`:
 * a ranking shows ten rows in a tall panel and fewer in a short one, rather
 * than squeezing ten rows' text together. Follows the element's size, and
 * the element itself (a panel's body appears once its data is there).
 */
export function useFitRows(el: Ref<HTMLElement | null>, rowRem: number, max: number): Ref<number> {
  const rows = shallowRef(max)
  const measure = (node: HTMLElement): void => {
    const rem = Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16
    const fit = Math.floor(node.clientHeight / (rowRem * rem))
    rows.value = Math.max(1, Math.min(max, fit))
  }
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries)
      measure(entry.target as HTMLElement)
  })
  watch(el, (node, _previous, onCleanup) => {
    if (!node)
      return
    observer.observe(node)
    onCleanup(() => observer.unobserve(node))
  }, { immediate: true, flush: 'post' })
  onBeforeUnmount(() => observer.disconnect())
  return rows
}
