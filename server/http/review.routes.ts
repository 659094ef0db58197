import express from 'express'
import { ReviewPeriodError } from '@shared/review/periods'
import { ReviewQuery } from '@shared/schemas/review'
import type { ReportList } from '@shared/schemas/review-report'
import { GenerateReportRequest, ReportExportQuery, ReportListQuery } from '@shared/schemas/review-report'
import type { CityModel } from '@shared/schemas/city'
import type { GuardDeps } from '@server/auth/guard'
import { authOf, guardedRouter } from '@server/auth/guard'
import { reportCsv, reportNames, reportXlsx } from '@server/review/report-export'
import type { ReportService } from '@server/review/report-service'
import type { ReviewService } from '@server/review/review-service'
import { ReviewScopeError } from '@server/review/review-service'
import { parseOr400 } from './query'

export interface ReviewRoutesDeps {
  review: ReviewService
  reports: ReportService
  city: CityModel
  guard: GuardDeps
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'

/**
 * The leaders' review (shared/schemas/review.ts, review-report.ts):
 * GET /api/review answers one page (400 malformed, 404 a town or department
 * the city does not have, 422 a period in the future or over 400 days);
 * /api/review/reports lists, makes, reads and exports the 日报 and 周报.
 */
export function reviewRoutes(deps: ReviewRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)
  const names = reportNames(deps.city)
  const answerErrors = (err: unknown, res: express.Response): void => {
    if (err instanceof ReviewScopeError)
      res.status(404).json({ error: err.message })
    else if (err instanceof ReviewPeriodError)
      res.status(422).json({ error: err.message })
    else
      throw err
  }

  route('get', '/review', 'review.view', async (req, res) => {
    const q = parseOr400(ReviewQuery, req.query, res, 'query')
    if (!q)
      return
    try {
      res.json(await deps.review.page(q))
    }
    catch (err) {
      answerErrors(err, res)
    }
  })

  route('get', '/review/reports', 'review.view', async (req, res) => {
    const q = parseOr400(ReportListQuery, req.query, res, 'query')
    if (!q)
      return
    const body: ReportList = { reports: await deps.reports.list({ ...(q.kind ? { kind: q.kind } : {}), limit: q.limit }) }
    res.json(body)
  })

  route('post', '/review/reports', 'review.view', express.json({ limit: '4kb' }), async (req, res) => {
    const body = parseOr400(GenerateReportRequest, req.body, res, 'report request')
    if (!body)
      return
    const auth = authOf(res)
    const by = auth?.principal.kind === 'user' ? auth.principal.username : 'unknown'
    try {
      res.status(201).json(await deps.reports.generate(body.kind, body.day, by))
    }
    catch (err) {
      answerErrors(err, res)
    }
  })

  route('get', '/review/reports/:id', 'review.view', async (req, res) => {
    const report = await deps.reports.get(req.params.id)
    if (report)
      res.json(report)
    else
      res.status(404).json({ error: `no report ${req.params.id}` })
  })

  route('get', '/review/reports/:id/export', 'review.view', async (req, res) => {
    const q = parseOr400(ReportExportQuery, req.query, res, 'query')
    if (!q)
      return
    const report = await deps.reports.get(req.params.id)
    if (!report) {
      res.status(404).json({ error: `no report ${req.params.id}` })
      return
    }
    // The file is named after the title, which is Chinese: RFC 5987 for it, an ASCII fallback for old clients.
    const disposition = (ext: string): string => `attachment; filename="${report.id}.${ext}"; filename*=UTF-8''${encodeURIComponent(`${report.title}.${ext}`)}`
    if (q.format === 'csv') {
      res.type('text/csv; charset=utf-8').set('Content-Disposition', disposition('csv')).send(reportCsv(report, names))
      return
    }
    res.type(XLSX_TYPE).set('Content-Disposition', disposition('xlsx')).send(await reportXlsx(report, names))
  })

  return router
}
