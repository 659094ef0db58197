import { ref, shallowRef } from 'vue'
import type { DispatchKpis } from '@shared/schemas/work-orders'
import { DispatchKpis as DispatchKpisSchema } from '@shared/schemas/work-orders'
import { getJson } from '@client/stores/http'
import type { Period } from './dispatch-period'
import { cityDate, periodRange } from './dispatch-period'

const KPIS_URL = '/api/dispatch/kpis'

/**
 * The dispatch KPIs of the period picked. Periods end at the server's clock
 * (a simulated city runs its own), never the browser's: the default period
 * (7 days) is asked without bounds, and its answer's `to` is the server's
 * now that today and 30 days count back from.
 */
export function useDispatchKpis() {
  const period = ref<Period>('week')
  const custom = ref({ from: '', to: '' })
  const kpis = shallowRef<DispatchKpis | null>(null)
  const error = shallowRef<unknown>(null)
  const loading = ref(false)
  const invalid = ref(false)
  let asked = 0

  async function load(): Promise<void> {
    const ask = ++asked
    loading.value = true
    error.value = null
    invalid.value = false
    try {
      let answer = await getJson(KPIS_URL, DispatchKpisSchema)
      if (period.value !== 'week') {
        const range = periodRange(period.value, Date.parse(answer.to), custom.value)
        if (!range) {
          invalid.value = true
          return
        }
        answer = await getJson(`${KPIS_URL}?${new URLSearchParams(range).toString()}`, DispatchKpisSchema)
      }
      if (ask === asked) {
        kpis.value = answer
        // A custom range starts from the period last shown.
        if (!custom.value.from)
          custom.value = { from: cityDate(Date.parse(answer.from)), to: cityDate(Date.parse(answer.to) - 1) }
      }
    }
    catch (err) {
      if (ask === asked)
        error.value = err
    }
    finally {
      if (ask === asked)
        loading.value = false
    }
  }

  function pick(next: Period): void {
    period.value = next
    if (next !== 'custom')
      void load()
  }

  return { period, custom, kpis, error, loading, invalid, load, pick }
}
