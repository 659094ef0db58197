import { levelInfo } from '../air/levels'
import { POLLUTANT_INFO } from '../air/pollutants'
import type { RateKey } from '../dispatch/rates'
import { RATE_KEYS, RATE_ZH, rateFigure, RESOLUTION_TARGET } from '../dispatch/rates'
import { INCIDENT_TOPIC_ZH } from '../schemas/incident-kinds'
import type { Compared, ReviewPage } from '../schemas/review'
import { change } from '../schemas/review'
import type { ReviewReport } from '../schemas/review-report'
import { CONGESTION_GRADE_INFO } from '../traffic/congestion'

/**
 * A report as tables, in Chinese: the one shape the CSV, the XLSX and the
 * print page are made of, so the three always say the same. Rates are
 * percentages to one decimal; a missing value is null (written "—").
 */

export type Cell = string | number | null
/** `sheet`: a short name for the XLSX sheet (at most 31 characters, none of : \\ / ? * [ ]). */
export interface ReportTable { sheet: string, title: string, columns: string[], rows: Cell[][] }

/** What the payload names by id: the city model's towns, halls and departments. */
export interface ReportNames {
  town: (code: string) => string
  hall: (id: string) => string
  department: (id: string) => string
}

/**
 * The names from the city model (shared/schemas/city.ts), in Chinese: a
 * report is an official paper and stays Chinese in every language; the id
 * itself where the model lacks it. The server's exports and the client's
 * print page both use this one.
 */
export function reportNames(city: {
  towns: readonly { code: string, name: string }[]
  halls: readonly { id: string, name: string }[]
  departments: readonly { id: string, name: string }[]
}): ReportNames {
  const towns = new Map(city.towns.map(t => [t.code, t.name]))
  const halls = new Map(city.halls.map(h => [h.id, h.name]))
  const departments = new Map(city.departments.map(d => [d.id, d.name]))
  return {
    town: code => towns.get(code) ?? code,
    hall: id => halls.get(id) ?? id,
    department: id => departments.get(id) ?? id,
  }
}

const pct = (v: number | null): number | null => (v === null ? null : Math.round(v * 1000) / 10)
const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10)

/** A measure's row: its name, unit, this period, the previous one and the change. */
function measure(name: string, unit: string, m: Compared, scale: (v: number | null) => number | null = round1): Cell[] {
  const value = scale(m.value)
  const previous = scale(m.previous)
  const { delta } = change({ value, previous })
  return [name, unit, value, previous, round1(delta)]
}

function summary(page: ReviewPage): ReportTable {
  const rows: Cell[][] = []
  const { air, traffic, halls, hotline } = page
  if (air) {
    rows.push(measure('AQI均值（HJ 633 日报）', '', air.aqiMean))
    rows.push(measure('优良天数比例', '%', air.goodShare, pct))
    rows.push(measure('有效监测天数', '天', air.validDays))
    rows.push(measure('PM2.5 平均浓度', 'µg/m³', air.pm25))
    rows.push(measure('PM10 平均浓度', 'µg/m³', air.pm10))
    rows.push(measure('NO2 平均浓度', 'µg/m³', air.no2))
    rows.push(measure('O3 日最大8小时平均', 'µg/m³', air.o3_8h))
  }
  if (traffic) {
    rows.push(measure('交通指数均值', '', traffic.tpiMean))
    rows.push(measure('工作日高峰交通指数', '', traffic.peakTpi))
  }
  if (halls) {
    rows.push(measure('政务大厅取号量', '人次', halls.visitors))
    rows.push(measure('平均等候时长', '分钟', halls.waitMin))
    rows.push(measure('好评率', '%', halls.goodRate, pct))
    rows.push(measure('差评数', '条', halls.badRatings))
  }
  rows.push(measure('12345 受理量', '件', { value: hotline.counts.accepted, previous: hotline.previous.accepted }))
  for (const key of RATE_KEYS) {
    const name = key === 'resolution' ? `${RATE_ZH[key]}（目标 ${pct(RESOLUTION_TARGET)}%）` : RATE_ZH[key]
    rows.push(measure(name, '%', { value: rateFigure(hotline.counts, key).value, previous: rateFigure(hotline.previous, key).value }, pct))
  }
  rows.push(['超期工单数（生成时）', '件', hotline.overdueNow, null, null])
  return { sheet: '主要指标', title: '主要指标', columns: ['指标', '单位', '本期', '上期', '变化'], rows }
}

function airDays(page: ReviewPage): ReportTable | null {
  if (!page.air)
    return null
  return {
    sheet: '空气质量逐日',
    title: '空气质量逐日（HJ 633-2012 日报）',
    columns: ['日期', 'AQI', '级别', '首要污染物', 'PM2.5（µg/m³）', 'O3-8h（µg/m³）', '数据有效'],
    rows: page.air.days.map(d => [d.day, d.aqi, d.level === null ? null : levelInfo(d.level).zh, d.primary.map(p => POLLUTANT_INFO[p].label).join('、') || '—', d.pm25, d.o3_8h, d.valid ? '是' : '否（不足20小时）']),
  }
}

function trafficTables(page: ReviewPage, names: ReportNames): ReportTable[] {
  if (!page.traffic)
    return []
  const t = page.traffic
  return [
    { sheet: '拥堵路段', title: '拥堵路段（中度及以上拥堵里程时长占比）', columns: ['道路', '长度（km）', '拥堵占比（%）', '上期（%）'], rows: t.corridors.map(c => [c.name, c.lengthKm, pct(c.congestedShare), pct(c.previousShare)]) },
    ...(t.towns.length > 0 ? [{ sheet: '镇街交通指数', title: '镇街交通指数', columns: ['镇街', '交通指数', '高峰交通指数', '上期'], rows: t.towns.map(x => [names.town(x.townCode), x.tpi, x.peakTpi, x.previous]) }] : []),
    { sheet: '拥堵等级里程', title: '道路里程按拥堵等级（GB/T 33171-2016，小时平均）', columns: ['等级', '里程（km）', '上期（km）'], rows: t.kmByGrade.map(g => [CONGESTION_GRADE_INFO.find(i => i.grade === g.grade)?.zh ?? g.grade, g.km, g.previous]) },
  ]
}

function hallTable(page: ReviewPage, names: ReportNames): ReportTable | null {
  if (!page.halls)
    return null
  return { sheet: '政务大厅', title: '政务大厅（取号量前十）', columns: ['大厅', '取号量', '平均等候（分钟）', '好评率（%）', '差评'], rows: page.halls.busiest.map(h => [names.hall(h.hallId), h.visitors, h.waitMin, pct(h.goodRate), h.bad]) }
}

function hotlineTables(page: ReviewPage, names: ReportNames): ReportTable[] {
  const h = page.hotline
  const rateCells = (counts: Parameters<typeof rateFigure>[0]): Cell[] => RATE_KEYS.map((k: RateKey) => pct(rateFigure(counts, k).value))
  return [
    { sheet: '受理量按类别', title: '12345 受理量按类别', columns: ['类别', '本期', '上期'], rows: h.byTopic.map(x => [INCIDENT_TOPIC_ZH[x.topic], x.count, x.previous]) },
    { sheet: '受理量按镇街', title: '12345 受理量按镇街', columns: ['镇街', '本期', '上期'], rows: h.byTown.map(x => [names.town(x.townCode), x.count, x.previous]) },
    {
      sheet: '部门考核',
      title: '部门考核',
      columns: ['部门', '受理', '派单', '办结', ...RATE_KEYS.map(k => `${RATE_ZH[k]}（%）`)],
      rows: h.departments.map(d => [names.department(d.departmentId), d.accepted, d.dispatched, d.closed, ...rateCells(d)]),
    },
    { sheet: '投诉热点', title: '重复投诉热点（约1公里网格）', columns: ['镇街', '经度', '纬度', '投诉举报数', '主要类别'], rows: h.hotspots.map(x => [x.townCode ? names.town(x.townCode) : '—', x.lng, x.lat, x.count, INCIDENT_TOPIC_ZH[x.topic]]) },
  ]
}

export function reportTables(report: Pick<ReviewReport, 'page'>, names: ReportNames): ReportTable[] {
  const { page } = report
  return [summary(page), airDays(page), ...trafficTables(page, names), hallTable(page, names), ...hotlineTables(page, names)]
    .filter((t): t is ReportTable => t !== null)
}

/** The period as a report says it: 2026年12月3日, or 2026年11月30日至12月6日. */
export function periodZh(from: string, to: string): string {
  const [fy, fm, fd] = from.split('-').map(Number) as [number, number, number]
  const [ty, tm, td] = to.split('-').map(Number) as [number, number, number]
  if (from === to)
    return `${fy}年${fm}月${fd}日`
  return fy === ty ? `${fy}年${fm}月${fd}日至${tm}月${td}日` : `${fy}年${fm}月${fd}日至${ty}年${tm}月${td}日`
}
