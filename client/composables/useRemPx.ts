import { onBeforeUnmount, onMounted, ref } from 'vue'
import type { Ref } from 'vue'

/**
 * The root font size in px. The wall scales by its root font size (see
 * styles/base.css), and canvases (charts) need the same unit in pixels.
 */
export function useRemPx(): Ref<number> {
  const read = (): number => Number.parseFloat(getComputedStyle(document.documentElement).fontSize) || 16
  const rem = ref(read())
  const update = (): void => {
    rem.value = read()
  }
  onMounted(() => window.addEventListener('resize', update))
  onBeforeUnmount(() => window.removeEventListener('resize', update))
  return rem
}
