import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import { z } from 'zod'
import type { AlertSilence, NewAlertSilenceInput } from '@shared/schemas/alert-rules'
import { AlertSilence as AlertSilenceSchema, AlertSilenceList } from '@shared/schemas/alert-rules'
import type { Alert, AlertAckRequest, AlertWorkOrderRequest } from '@shared/schemas/alerts'
import { AlertAnswer, AlertDetail, AlertList } from '@shared/schemas/alerts'
import type { AlertFilter } from '@client/views/alerts/alert-list'
import { alertRows, EMPTY_FILTER, isLiveStatus, listQuery } from '@client/views/alerts/alert-list'
import { useSelectedDetail } from './selected-detail'
import { useAlertsStore } from './alerts'
import { getJson, sendJson } from './http'
import { useKpisStore } from './kpis'

const SilenceAnswer = z.object({ silence: AlertSilenceSchema })

/** The most alerts one listing asks for (the server's limit is 500). */
const LIST_LIMIT = 300

const alertPath = (id: string): string => `/api/alerts/${encodeURIComponent(id)}`

/** The later of two copies of one alert (the stream's, an action's answer, a listing's). */
function newer(a: Alert | undefined, b: Alert | undefined): Alert | undefined {
  if (!a || !b)
    return a ?? b
  return b.updatedAt > a.updatedAt ? b : a
}

/**
 * The alert console's state (client/views/AlertsView.vue): the list under the
 * operator's filter (the live stream's alerts for the active statuses, REST
 * for resolved and all, reloaded when an alert leaves the stream), the
 * selected alert with its events, the silences, and the operator's actions.
 * The answers of the actions are kept until the stream brings the same or a
 * newer copy, so a row changes the moment the server agreed.
 */
export const useAlertConsoleStore = defineStore('alert-console', () => {
  const alerts = useAlertsStore()
  const kpis = useKpisStore()

  const filter = ref<AlertFilter>({ ...EMPTY_FILTER })
  const listed = shallowRef<Alert[]>([])
  const total = ref(0)
  const listLoading = ref(false)
  const listError = shallowRef<unknown>(null)
  const answered = shallowRef<ReadonlyMap<string, Alert>>(new Map())

  const live = computed<Alert[]>(() => alerts.active.map(a => newer(a, answered.value.get(a.id))!))
  const rows = computed(() => alertRows(filter.value, live.value, listed.value.map(a => newer(a, answered.value.get(a.id))!)))
  const liveMode = computed(() => isLiveStatus(filter.value.status))

  /** The server's (simulated) now, as far as this page knows it: never the browser's clock. */
  const serverNowMs = computed<number | null>(() => {
    const times = [kpis.kpis?.at, ...alerts.active.map(a => a.updatedAt)].filter((at): at is string => typeof at === 'string')
    return times.length === 0 ? null : Math.max(...times.map(at => Date.parse(at)))
  })

  let listing = false
  let listAgain = false
  /** Asks the server for the filter's alerts; a request while one is out is made once the first returns, with the filter then. */
  async function reloadList(): Promise<void> {
    if (liveMode.value)
      return
    if (listing) {
      listAgain = true
      return
    }
    listing = true
    listLoading.value = true
    try {
      do {
        listAgain = false
        const answer = await getJson(`/api/alerts?${listQuery(filter.value, LIST_LIMIT)}`, AlertList)
        if (!listAgain) {
          listed.value = answer.alerts
          total.value = answer.total
        }
      } while (listAgain && !liveMode.value)
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

  watch(filter, () => {
    listed.value = []
    void reloadList()
  }, { deep: true })
  // An alert that leaves the stream was resolved: the resolved and all listings change with it.
  watch(() => alerts.active.map(a => a.id), (now, before) => {
    const kept = new Set(now)
    if (before?.some(id => !kept.has(id)))
      void reloadList()
  })

  const { selectedId, detail, detailError, loadDetail, select } = useSelectedDetail(id => getJson(alertPath(id), AlertDetail))

  const selected = computed<Alert | null>(() => {
    const id = selectedId.value
    if (id === null)
      return null
    const copies = [live.value.find(a => a.id === id), listed.value.find(a => a.id === id), answered.value.get(id), detail.value?.alert.id === id ? detail.value.alert : undefined]
    return copies.reduce(newer, undefined) ?? null
  })

  // The selected alert changed on the server (acknowledged elsewhere, escalated, resolved): its events did too.
  watch(() => selected.value?.updatedAt, (now, before) => {
    if (now && before && now !== before && selectedId.value !== null)
      void loadDetail(selectedId.value)
  })

  function keep(alert: Alert): Alert {
    answered.value = new Map(answered.value).set(alert.id, alert)
    return alert
  }

  /** Throws the server's refusal (409 resolved, 403, 404) for the screen to say. */
  async function acknowledge(id: string, comment: string): Promise<Alert> {
    const body: AlertAckRequest = comment.trim() ? { comment: comment.trim() } : {}
    try {
      return keep((await sendJson('POST', `${alertPath(id)}/ack`, body, AlertAnswer)).alert)
    }
    finally {
      void loadDetail(id)
    }
  }

  async function makeWorkOrder(id: string, request: AlertWorkOrderRequest): Promise<Alert> {
    try {
      return keep((await sendJson('POST', `${alertPath(id)}/work-order`, request, AlertAnswer)).alert)
    }
    finally {
      void loadDetail(id)
    }
  }

  const silences = shallowRef<AlertSilence[]>([])
  const silencesError = shallowRef<unknown>(null)

  async function loadSilences(): Promise<void> {
    try {
      silences.value = (await getJson('/api/alert-silences', AlertSilenceList)).silences
      silencesError.value = null
    }
    catch (err) {
      silencesError.value = err
    }
  }

  async function addSilence(silence: NewAlertSilenceInput): Promise<AlertSilence> {
    const created = (await sendJson('POST', '/api/alert-silences', silence, SilenceAnswer)).silence
    await loadSilences()
    return created
  }

  async function endSilence(id: string): Promise<void> {
    await sendJson('DELETE', `/api/alert-silences/${encodeURIComponent(id)}`, undefined, SilenceAnswer)
    await loadSilences()
  }

  return {
    filter,
    rows,
    total,
    liveMode,
    listLoading,
    listError,
    reloadList,
    serverNowMs,
    selectedId,
    selected,
    detail,
    detailError,
    select,
    loadDetail,
    acknowledge,
    makeWorkOrder,
    silences,
    silencesError,
    loadSilences,
    addSilence,
    endSilence,
  }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useAlertConsoleStore, import.meta.hot))
