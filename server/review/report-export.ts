import writeXlsxFile from 'write-excel-file/node'
import type { Cell as SheetCell, Sheet } from 'write-excel-file/node'
import type { Cell, ReportNames, ReportTable } from '@shared/review/report-tables'
import { reportTables } from '@shared/review/report-tables'
import type { ReviewReport } from '@shared/schemas/review-report'

/** A report as CSV and as XLSX, from the same tables as its print page (shared/review/report-tables.ts). */

// The names moved to shared (the print page needs them too); kept here for the routes and tests that import them from this file.
export { reportNames } from '@shared/review/report-tables'

const csvField = (value: Cell): string => {
  if (value === null)
    return '—'
  const text = String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/**
 * UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens it as
 * UTF-8; CRLF line ends (RFC 4180). The tables follow one another, each
 * after its title and a blank line.
 */
export function reportCsv(report: ReviewReport, names: ReportNames): string {
  const lines = [csvField(report.title), `${csvField('生成时间')},${csvField(report.generatedAt)}`, '']
  for (const table of reportTables(report, names)) {
    lines.push(csvField(table.title), table.columns.map(csvField).join(','), ...table.rows.map(r => r.map(csvField).join(',')), '')
  }
  return `\uFEFF${lines.join('\r\n')}`
}

function sheetOf(table: ReportTable, report: ReviewReport): Sheet<Buffer> {
  const header: SheetCell[] = table.columns.map(c => ({ value: c, fontWeight: 'bold' as const }))
  const rows: SheetCell[][] = table.rows.map(r => r.map(v => (v === null ? { value: '—' } : { value: v })))
  return {
    sheet: table.sheet,
    data: [[{ value: `${report.title} · ${table.title}`, fontWeight: 'bold' as const }], [], header, ...rows],
    columns: table.columns.map((c, i) => ({ width: i === 0 ? 24 : Math.max(10, c.length * 2) })),
  }
}

export async function reportXlsx(report: ReviewReport, names: ReportNames): Promise<Buffer> {
  return writeXlsxFile(reportTables(report, names).map(t => sheetOf(t, report))).toBuffer()
}
