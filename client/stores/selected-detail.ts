import { ref, shallowRef } from 'vue'
import type { Ref, ShallowRef } from 'vue'

export interface SelectedDetail<T> {
  selectedId: Ref<string | null>
  detail: ShallowRef<T | null>
  detailError: ShallowRef<unknown>
  /** Loads the detail of `id`; an answer that comes after another item was selected is dropped. */
  loadDetail: (id: string) => Promise<void>
  /** Selects an item (null: none) and loads its detail. */
  select: (id: string | null) => void
}

/** The item a desk screen has open and its detail from the server (the alert console, the dispatch console). */
export function useSelectedDetail<T>(fetchDetail: (id: string) => Promise<T>, onLoaded: (detail: T) => void = () => {}): SelectedDetail<T> {
  const selectedId = ref<string | null>(null)
  const detail = shallowRef<T | null>(null)
  const detailError = shallowRef<unknown>(null)

  async function loadDetail(id: string): Promise<void> {
    try {
      const answer = await fetchDetail(id)
      if (selectedId.value === id) {
        detail.value = answer
        detailError.value = null
        onLoaded(answer)
      }
    }
    catch (err) {
      if (selectedId.value === id)
        detailError.value = err
    }
  }

  function select(id: string | null): void {
    if (id === selectedId.value)
      return
    selectedId.value = id
    detail.value = null
    detailError.value = null
    if (id !== null)
      void loadDetail(id)
  }

  return { selectedId, detail, detailError, loadDetail, select }
}
