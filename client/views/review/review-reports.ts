import { localDate } from '@shared/calendar/working-days'
import { addDays } from '@shared/review/periods'
import { periodZh } from '@shared/review/report-tables'
import type { GenerateReportRequest, ReportKind, ReportListItem } from '@shared/schemas/review-report'
import { formatClock } from '@client/format'

/** What the reports panel derives from a report's list entry: its period, when it was made, where it downloads from. */

/** The first and last local day of a report: the day, or the Monday–Sunday week it starts. */
export function reportSpan(item: Pick<ReportListItem, 'kind' | 'periodStart'>): { from: string, to: string } {
  return { from: item.periodStart, to: item.kind === 'weekly' ? addDays(item.periodStart, 6) : item.periodStart }
}

/** 2026年12月3日 / 2026年11月30日至12月6日 in Chinese; ISO dates in English. */
export function reportPeriodText(item: Pick<ReportListItem, 'kind' | 'periodStart'>, locale: string): string {
  const { from, to } = reportSpan(item)
  if (locale !== 'en')
    return periodZh(from, to)
  return from === to ? from : `${from} – ${to}`
}

/** The local date and minute a report was made (city time). */
export function madeAtText(generatedAt: string): string {
  return `${localDate(generatedAt)} ${formatClock(generatedAt)}`
}

export function exportUrl(id: string, format: 'csv' | 'xlsx'): string {
  return `/api/review/reports/${encodeURIComponent(id)}/export?format=${format}`
}

/** The request to make a report: the server's default day (yesterday) when no date is picked. */
export function generateRequest(kind: ReportKind, day: string): GenerateReportRequest {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? { kind, day } : { kind }
}
