import { localDate, localMidnight } from '@shared/calendar/working-days'
import { addDays, weekdayOf } from '@shared/review/periods'
import { periodZh } from '@shared/review/report-tables'
import type { CityModel } from '@shared/schemas/city'
import type { ReportKind, ReportListItem, ReviewReport } from '@shared/schemas/review-report'
import { REPORT_KIND_ZH, ReviewReport as ReportSchema } from '@shared/schemas/review-report'
import type { ReviewRepository } from '@server/store/review.repository'
import { FOLD_GRACE_MS } from './day-folder'
import { PeriodicPass } from './periodic-pass'
import type { ReviewService } from './review-service'

/** Who made a report on the schedule. */
export const SCHEDULE = 'schedule'

export interface ReportServiceDeps {
  review: ReviewService
  repo: ReviewRepository
  city: CityModel
  now: () => number
  /** How often (real ms) the leader looks for reports due. */
  intervalMs: number
  onError: (err: unknown) => void
}

/** The first and last local day of the report of `kind` that holds `day`: the day itself, or its Monday–Sunday week. */
export function reportPeriod(kind: ReportKind, day: string): { from: string, to: string } {
  if (kind === 'daily')
    return { from: day, to: day }
  const monday = addDays(day, -weekdayOf(day))
  return { from: monday, to: addDays(monday, 6) }
}

export const reportId = (kind: ReportKind, periodStart: string): string => `${kind}-${periodStart}`

/**
 * The city's 日报 and 周报: made on the leader once their period is over
 * (yesterday's report in the first minutes of the day, last week's on
 * Monday), and on demand; stored whole, one per kind and period (made again
 * on demand, it replaces the one held).
 */
export class ReportService {
  private readonly periodic: PeriodicPass<ReviewReport[]>

  constructor(private readonly deps: ReportServiceDeps) {
    this.periodic = new PeriodicPass(() => this.duePass(), deps.intervalMs, deps.onError)
  }

  start(): Promise<void> {
    return this.periodic.start()
  }

  stop(): Promise<void> {
    return this.periodic.stop()
  }

  /** Makes the reports whose period is over and that are not held yet; those made. */
  generateDue(): Promise<ReviewReport[]> {
    return this.periodic.run()
  }

  /** Makes the report of `kind` holding `day` (default yesterday), replacing any held. */
  async generate(kind: ReportKind, day: string | undefined, by: string): Promise<ReviewReport> {
    const now = this.deps.now()
    const { from, to } = reportPeriod(kind, day ?? addDays(localDate(now), -1))
    const page = await this.deps.review.page({ scope: 'city', range: 'custom', from, to })
    const report = ReportSchema.parse({
      id: reportId(kind, from),
      kind,
      periodStart: from,
      title: `${this.deps.city.name}城市运行${REPORT_KIND_ZH[kind]}（${periodZh(page.period.from, page.period.to)}）`,
      generatedAt: new Date(now).toISOString(),
      generatedBy: by,
      page,
    })
    await this.deps.repo.saveReport({ id: report.id, kind, periodStart: from, generatedAt: report.generatedAt, generatedBy: by, doc: report })
    return report
  }

  async get(id: string): Promise<ReviewReport | undefined> {
    const stored = await this.deps.repo.report(id)
    return stored && ReportSchema.parse(stored.doc)
  }

  async list(q: { kind?: ReportKind, limit: number }): Promise<ReportListItem[]> {
    const ids = await this.deps.repo.reports(q)
    const reports = await Promise.all(ids.map(r => this.get(r.id)))
    return reports.filter((r): r is ReviewReport => r !== undefined).map(({ page: _page, ...item }) => item)
  }

  private async duePass(): Promise<ReviewReport[]> {
    const now = this.deps.now()
    const today = localDate(now)
    // Folded days are settled FOLD_GRACE_MS after midnight; the reports wait as long.
    if (now < localMidnight(today) + FOLD_GRACE_MS)
      return []
    const yesterday = addDays(today, -1)
    const lastSunday = addDays(today, -(weekdayOf(today) + 1))
    const due: [ReportKind, string][] = [['daily', yesterday], ['weekly', lastSunday]]
    const made: ReviewReport[] = []
    // A period before the first hour of history has nothing to report (a new installation's last week).
    const first = await this.deps.repo.firstRecord()
    for (const [kind, day] of due) {
      const { from, to } = reportPeriod(kind, day)
      const before = first === null || Date.parse(first) >= localMidnight(addDays(to, 1))
      if (!before && !await this.deps.repo.report(reportId(kind, from)))
        made.push(await this.generate(kind, day, SCHEDULE))
    }
    return made
  }
}
