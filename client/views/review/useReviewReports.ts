import { ref, shallowRef } from 'vue'
import type { ReportKind, ReportListItem } from '@shared/schemas/review-report'
import { ReportList, ReviewReport } from '@shared/schemas/review-report'
import { getJson, sendJson } from '@client/stores/http'
import { generateRequest } from './review-reports'

const REPORTS_URL = '/api/review/reports'

/**
 * The reports kept on the server: the list (newest period first), and making
 * one on demand, after which the list is asked again so the new report shows
 * in its place (made again, it replaces the one of the same period).
 */
export function useReviewReports() {
  const reports = shallowRef<readonly ReportListItem[]>([])
  const error = shallowRef<unknown>(null)
  const loading = ref(false)
  const generating = ref<ReportKind | null>(null)
  /** The report just made, to say so and to mark its row. */
  const made = shallowRef<ReportListItem | null>(null)

  async function load(): Promise<void> {
    loading.value = true
    try {
      reports.value = (await getJson(REPORTS_URL, ReportList)).reports
      error.value = null
    }
    catch (err) {
      error.value = err
    }
    finally {
      loading.value = false
    }
  }

  async function generate(kind: ReportKind, day: string): Promise<void> {
    generating.value = kind
    error.value = null
    try {
      const { page: _page, ...item } = await sendJson('POST', REPORTS_URL, generateRequest(kind, day), ReviewReport)
      made.value = item
      await load()
    }
    catch (err) {
      error.value = err
    }
    finally {
      generating.value = null
    }
  }

  return { reports, error, loading, generating, made, load, generate }
}
