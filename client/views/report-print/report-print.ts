import { localDate } from '@shared/calendar/working-days'
import { weekdayOf } from '@shared/review/periods'
import type { Cell, ReportTable } from '@shared/review/report-tables'
import { periodZh } from '@shared/review/report-tables'
import type { ReviewReport } from '@shared/schemas/review-report'
import { formatClock } from '@client/format'

/**
 * What the print page derives from a report: its heading lines, the cells as
 * the CSV writes them, which columns are figures (right-aligned) and the
 * bars of the small AQI chart. Chinese only: the paper is official.
 */

/** A cell as printed: "—" for nothing, figures as the CSV and the XLSX have them. */
export function cellText(cell: Cell): string {
  return cell === null ? '—' : String(cell)
}

/**
 * The columns of figures, right-aligned: no text in them. A column of
 * nothing but "—" is one too (a measure without a previous period); text
 * columns write their own "—" as text.
 */
export function numericColumns(table: Pick<ReportTable, 'columns' | 'rows'>): boolean[] {
  return table.columns.map((_, i) => table.rows.length > 0 && table.rows.every(r => typeof r[i] !== 'string'))
}

/** 2026年12月4日 00:05, city time. */
export function instantZh(at: string): string {
  const day = localDate(at)
  return `${periodZh(day, day)} ${formatClock(at)}`
}

export interface PrintHeading {
  title: string
  period: string
  compared: string
  generatedAt: string
  generatedBy: string
  /** The period was cut at the time it was made (a report of a day or week not yet over). */
  partial: boolean
}

export function printHeading(report: ReviewReport): PrintHeading {
  const { page } = report
  return {
    title: report.title,
    period: periodZh(page.period.from, page.period.to),
    compared: periodZh(page.previous.from, page.previous.to),
    generatedAt: instantZh(report.generatedAt),
    generatedBy: report.generatedBy === 'schedule' ? '定时生成' : report.generatedBy,
    partial: page.period.partial,
  }
}

export interface AqiBar { label: string, aqi: number | null, x: number, y: number, width: number, height: number }
export interface AqiChart { title: string, bars: AqiBar[], width: number, height: number, /** y of the 良 line (AQI 100) */ goodLineY: number }

const WEEKDAY_ZH = ['一', '二', '三', '四', '五', '六', '日'] as const
const CHART_MIN_TOP = 150

/**
 * The AQI of the period as bars in a `width` × `height` box (SVG units): by
 * day for a week, by hour for a day; null when there is nothing to draw. The
 * scale starts at 0 and reaches at least 150, so a clean week does not look
 * like a polluted one.
 */
export function aqiChart(report: ReviewReport, width: number, height: number): AqiChart | null {
  const air = report.page.air
  if (!air)
    return null
  const points = air.days.length > 1
    ? air.days.map(d => ({ label: `${Number(d.day.slice(5, 7))}/${Number(d.day.slice(8, 10))} 周${WEEKDAY_ZH[weekdayOf(d.day)]}`, aqi: d.aqi }))
    : air.hours.map(h => ({ label: formatClock(h.t).slice(0, 2), aqi: h.aqi }))
  if (points.length === 0 || points.every(p => p.aqi === null))
    return null
  const top = Math.max(CHART_MIN_TOP, ...points.map(p => p.aqi ?? 0))
  const slot = width / points.length
  const barWidth = slot * 0.6
  const bars = points.map((p, i) => {
    const h = p.aqi === null ? 0 : (p.aqi / top) * height
    return { label: p.label, aqi: p.aqi, x: i * slot + (slot - barWidth) / 2, y: height - h, width: barWidth, height: h }
  })
  return {
    title: air.days.length > 1 ? '逐日 AQI（HJ 633-2012 日报）' : '逐时 AQI（实时报）',
    bars,
    width,
    height,
    goodLineY: height - (100 / top) * height,
  }
}
