import { onBeforeUnmount, onMounted } from 'vue'
import type { ConsoleKey } from './work-order-list'
import { consoleKey, isField } from './work-order-list'

/**
 * The desk screens' keys on the window while the screen is shown. Keys
 * typed into a field are the field's (Esc excepted); Enter on a button or
 * link is the button's.
 */
export function useConsoleKeys(handle: (key: ConsoleKey, e: KeyboardEvent) => boolean): void {
  function onKey(e: KeyboardEvent): void {
    const key = consoleKey(e, isField(e.target))
    if (key === null)
      return
    if (key === 'open' && e.target instanceof HTMLElement && ['BUTTON', 'A'].includes(e.target.tagName))
      return
    if (handle(key, e))
      e.preventDefault()
  }
  onMounted(() => window.addEventListener('keydown', onKey))
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))
}
