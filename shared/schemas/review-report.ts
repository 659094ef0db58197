import { z } from 'zod'
import { CalendarDate } from '../calendar/working-days'
import { Instant } from './common'
import { ReviewPage } from './review'

/**
 * The city's daily and weekly reports (日报, 周报): a review page of the
 * city for one local day or one Monday–Sunday week, made on the server on a
 * schedule (after the day or week is over and folded) or on demand, and
 * kept whole, so a report says what it said when it was made.
 */
export const REPORT_KINDS = ['daily', 'weekly'] as const
export const ReportKind = z.enum(REPORT_KINDS)
export type ReportKind = z.infer<typeof ReportKind>

export const REPORT_KIND_ZH: Readonly<Record<ReportKind, string>> = { daily: '日报', weekly: '周报' }

export const ReviewReport = z.object({
  id: z.string().min(1).max(64),
  kind: ReportKind,
  /** The first local day of the period (a Monday for a weekly report). */
  periodStart: CalendarDate,
  /** 东莞市城市运行日报（2026年12月3日） */
  title: z.string(),
  generatedAt: Instant,
  /** `schedule`, or the username of whoever asked for it. */
  generatedBy: z.string(),
  page: ReviewPage,
})
export type ReviewReport = z.infer<typeof ReviewReport>

export const ReportListItem = ReviewReport.omit({ page: true })
export type ReportListItem = z.infer<typeof ReportListItem>

/** GET /api/review/reports */
export const ReportListQuery = z.object({
  kind: ReportKind.optional(),
  limit: z.coerce.number().int().min(1).max(400).default(60),
})
export const ReportList = z.object({ reports: z.array(ReportListItem) })
export type ReportList = z.infer<typeof ReportList>

/** POST /api/review/reports: make (or make again) the report of the period holding `day` (default: yesterday). */
export const GenerateReportRequest = z.strictObject({
  kind: ReportKind,
  day: CalendarDate.optional(),
})
export type GenerateReportRequest = z.infer<typeof GenerateReportRequest>

/** GET /api/review/reports/:id/export?format=csv|xlsx */
export const ReportExportQuery = z.object({ format: z.enum(['csv', 'xlsx']).default('csv') })
