import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { HandledIncident } from '@shared/schemas/work-order-views'
import { WorkOrderDetail as DetailSchema, WorkOrderList } from '@shared/schemas/work-order-views'
import type { WorkOrderState } from '@shared/schemas/work-orders'
import type { WorkOrderCommandInput } from '@shared/schemas/work-orders'
import type { BatchItem, CommandOutcome } from '@client/views/dispatch/work-order-api'
import { sendBatch, sendCommand } from '@client/views/dispatch/work-order-api'
import type { QueueFilter } from '@client/views/dispatch/work-order-list'
import { EMPTY_QUEUE_FILTER, matchesFilter, newerOrder, queueQuery } from '@client/views/dispatch/work-order-list'
import { useSelectedDetail } from './selected-detail'
import { getJson } from './http'
import { useIncidentsStore } from './incidents'
import { useSessionStore } from './session'

/** The most orders one listing asks for (the server's limit is 500). */
const LIST_LIMIT = 300

const orderPath = (id: string): string => `/api/work-orders/${encodeURIComponent(id)}`

/**
 * The dispatch screens' state (/dispatch and /inbox): the queue under the
 * filter from REST, each row replaced by a newer copy when the incidents
 * stream brings one (duty officers have it; department handlers poll,
 * see InboxView) and relisted when the stream shows an order changed; the
 * opened order's detail; the commands, whose answers are kept at once so a
 * row changes the moment the server agreed.
 */
export const useDispatchStore = defineStore('dispatch', () => {
  const incidents = useIncidentsStore()
  const session = useSessionStore()

  const filter = ref<QueueFilter>({ ...EMPTY_QUEUE_FILTER })
  const listed = shallowRef<HandledIncident[]>([])
  const total = ref(0)
  const byState = shallowRef<Partial<Record<WorkOrderState, number>>>({})
  /** The server's clock at the last listing or detail: due marks are judged by it, never by the browser's. */
  const serverNow = ref<number | null>(null)
  const listLoading = ref(false)
  const listError = shallowRef<unknown>(null)
  /** Orders as commands answered them, until a listing or the stream has the same or newer. */
  const answered = shallowRef<ReadonlyMap<string, HandledIncident>>(new Map())

  /** The stream's copies of handled incidents, by id (empty for those without incidents.view). */
  const streamed = computed(() => new Map(incidents.newest.filter((i): i is HandledIncident => i.handling !== undefined).map(i => [i.id, i])))

  const newest = (i: HandledIncident): HandledIncident => [streamed.value.get(i.id), answered.value.get(i.id)].reduce(newerOrder, i)!
  const rows = computed<HandledIncident[]>(() => listed.value.map(newest).filter(i => matchesFilter(i, filter.value)))

  let listing = false
  let listAgain = false
  /** Asks for the filter's orders; a request while one is out is made once the first returns, with the filter then. */
  async function reloadList(): Promise<void> {
    if (listing) {
      listAgain = true
      return
    }
    listing = true
    listLoading.value = true
    try {
      do {
        listAgain = false
        const answer = await getJson(`/api/work-orders?${queueQuery(filter.value, LIST_LIMIT)}`, WorkOrderList)
        if (!listAgain) {
          listed.value = answer.items
          total.value = answer.total
          byState.value = answer.byState
          serverNow.value = Date.parse(answer.now)
        }
      } while (listAgain)
      listError.value = null
    }
    catch (err) {
      listError.value = err
    }
    finally {
      listing = false
      listLoading.value = false
    }
  }

  watch(filter, () => void reloadList(), { deep: true })
  // An order that arrives or changes on the stream may enter or leave the listing, and the tabs' counts change.
  watch(() => [...streamed.value.values()].map(i => `${i.id}@${i.handling.version}`).join(','), (now, before) => {
    if (before !== undefined && now !== before)
      void reloadList()
  })

  const { selectedId, detail, detailError, loadDetail, select: open } = useSelectedDetail(id => getJson(orderPath(id), DetailSchema), (answer) => {
    serverNow.value = Date.parse(answer.now)
  })

  /** The opened order, newest copy known. */
  const selected = computed<HandledIncident | null>(() => {
    const id = selectedId.value
    if (id === null)
      return null
    const copies = [listed.value.find(i => i.id === id), streamed.value.get(id), answered.value.get(id), detail.value?.incident.id === id ? detail.value.incident : undefined]
    return copies.reduce(newerOrder, undefined) ?? null
  })

  // The opened order changed elsewhere (another officer, the department, a deadline): its timeline and actions did too.
  watch(() => selected.value?.handling.version, (now, before) => {
    if (now !== undefined && before !== undefined && now !== before && selectedId.value !== null && detail.value?.incident.handling.version !== now)
      void loadDetail(selectedId.value)
  })

  function keep(incident: HandledIncident, order: HandledIncident['handling']): void {
    answered.value = new Map(answered.value).set(incident.id, { ...incident, handling: order })
  }

  const csrf = (): string => session.info?.csrfToken ?? ''

  /** One command on an order at the version the officer saw; the detail and the list are read again whatever the outcome. */
  async function command(incident: HandledIncident, command: WorkOrderCommandInput, expectedVersion: number): Promise<CommandOutcome> {
    try {
      const outcome = await sendCommand(incident.id, expectedVersion, command, csrf())
      if (outcome.kind === 'ok')
        keep(incident, outcome.answer.order)
      else if (outcome.kind === 'conflict')
        keep(incident, outcome.order)
      return outcome
    }
    finally {
      if (selectedId.value === incident.id)
        void loadDetail(incident.id)
      void reloadList()
    }
  }

  async function batch(items: readonly BatchItem[]): Promise<Awaited<ReturnType<typeof sendBatch>>> {
    try {
      const results = await sendBatch(items, csrf())
      for (const r of results) {
        const incident = listed.value.find(i => i.id === r.orderId)
        if (incident && r.outcome !== 'refused')
          keep(incident, r.outcome === 'ok' ? r.answer.order : r.order)
      }
      return results
    }
    finally {
      void reloadList()
      if (selectedId.value !== null)
        void loadDetail(selectedId.value)
    }
  }

  return { filter, rows, total, byState, serverNow, listLoading, listError, reloadList, selectedId, selected, detail, detailError, open, loadDetail, command, batch }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useDispatchStore, import.meta.hot))
