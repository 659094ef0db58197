import { onBeforeUnmount, ref, shallowRef } from 'vue'
import type { Drill, DrillDetail, DrillRequestInput } from '@shared/schemas/drills'
import { DrillDetail as DrillDetailSchema, DrillList } from '@shared/schemas/drills'
import { getJson, sendJson } from '@client/stores/http'

/** A running drill's summary is read again this often (real time): it is "so far". */
const RUNNING_REFRESH_MS = 5000

/**
 * The drills and the one shown: its summary so far while it runs (read
 * again every few seconds), the one kept at its end once it ended, or made
 * again on request (`fresh`).
 */
export function useDrills() {
  const drills = shallowRef<Drill[]>([])
  const detail = shallowRef<DrillDetail | null>(null)
  const error = shallowRef<unknown>(null)
  const busy = ref(false)
  let timer: ReturnType<typeof setInterval> | undefined

  async function loadList(): Promise<void> {
    drills.value = (await getJson('/api/drills', DrillList)).drills
  }

  async function loadDetail(id: string, fresh = false): Promise<void> {
    const answer = await getJson(`/api/drills/${encodeURIComponent(id)}${fresh ? '?fresh=1' : ''}`, DrillDetailSchema)
    // A later pick wins over a slow answer for an earlier one.
    if (!detail.value || detail.value.drill.id === id || selected.value === id)
      detail.value = answer
  }

  const selected = ref<string | null>(null)

  async function run(action: () => Promise<void>): Promise<void> {
    busy.value = true
    error.value = null
    try {
      await action()
    }
    catch (err) {
      error.value = err
    }
    finally {
      busy.value = false
    }
  }

  function follow(): void {
    clearInterval(timer)
    timer = setInterval(() => {
      const id = selected.value
      if (id && detail.value?.drill.status === 'running')
        void Promise.all([loadDetail(id), loadList()]).catch((err: unknown) => (error.value = err))
    }, RUNNING_REFRESH_MS)
  }

  const select = (id: string, fresh = false): Promise<void> => run(async () => {
    selected.value = id
    await loadDetail(id, fresh)
    follow()
  })

  const start = (request: DrillRequestInput): Promise<void> => run(async () => {
    const started = await sendJson('POST', '/api/drills', request, DrillDetailSchema)
    selected.value = started.drill.id
    detail.value = started
    await loadList()
    follow()
  })

  const end = (id: string): Promise<void> => run(async () => {
    detail.value = await sendJson('POST', `/api/drills/${encodeURIComponent(id)}/end`, undefined, DrillDetailSchema)
    await loadList()
  })

  const refresh = (): Promise<void> => run(async () => {
    await loadList()
    if (selected.value)
      await loadDetail(selected.value)
  })

  onBeforeUnmount(() => clearInterval(timer))
  return { drills, detail, selected, error, busy, select, start, end, refresh }
}
