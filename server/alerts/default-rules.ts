import type { AlertRuleInput, AlertRuleSet } from '@shared/schemas/alert-rules'
import { ALERT_RULES_VERSION, AlertRuleSet as AlertRuleSetSchema } from '@shared/schemas/alert-rules'

/**
 * The rules a new installation starts with, from the standards' thresholds:
 * HJ 633-2012 AQI levels (domain.md §1.3), GB/T 33171-2016 grades (§2.3–2.4),
 * the Guangdong 12345 time limits (§3.2) and the hall queue defaults (§4.3).
 * Admins edit them as data; these are only the first revision.
 */
const RULES: AlertRuleInput[] = [
  // Air (§1.3): one rule per level boundary, 20 minutes, 10 AQI of hysteresis.
  { id: 'air.station.aqi-100', name: '站点轻度污染', kind: 'threshold', domain: 'air', severity: 'info', entityKind: 'station', metric: 'aqi', op: '>', value: 100, clearValue: 90, forMin: 20, clearForMin: 20 },
  { id: 'air.station.aqi-150', name: '站点中度污染', kind: 'threshold', domain: 'air', severity: 'major', entityKind: 'station', metric: 'aqi', op: '>', value: 150, clearValue: 140, forMin: 20, clearForMin: 20 },
  { id: 'air.station.aqi-200', name: '站点重度污染', kind: 'threshold', domain: 'air', severity: 'critical', entityKind: 'station', metric: 'aqi', op: '>', value: 200, clearValue: 190, forMin: 20, clearForMin: 20 },
  { id: 'air.town.aqi-150', name: '镇街中度污染', kind: 'threshold', domain: 'air', severity: 'major', entityKind: 'town', metric: 'aqi', op: '>', value: 150, clearValue: 140, forMin: 20, clearForMin: 20 },
  { id: 'air.city.aqi-200', name: '全市重度污染', kind: 'threshold', domain: 'air', severity: 'critical', entityKind: 'city', metric: 'aqi', op: '>', value: 200, clearValue: 190, forMin: 20, clearForMin: 30, groupBy: 'domain' },
  { id: 'air.station.level-rise', name: '站点 1 小时内空气质量升级', kind: 'rate', domain: 'air', severity: 'warning', entityKind: 'station', metric: 'aqiLevel', riseBy: 1, windowMin: 60, clearForMin: 30 },
  { id: 'air.station.silent', name: '空气站点断报', kind: 'absence', domain: 'feeds', severity: 'info', entityKind: 'station', silentMin: 120, groupBy: 'domain' },
  // Traffic (§2.3–2.4): 严重拥堵 is grade 5 on segments, TPI ≥ 8 on a town's network.
  { id: 'traffic.segment.severe', name: '路段严重拥堵', kind: 'threshold', domain: 'traffic', severity: 'warning', entityKind: 'segment', metric: 'congestionLevel', op: '>=', value: 5, clearValue: 4, forMin: 15, clearForMin: 10 },
  { id: 'traffic.town.severe', name: '镇街路网严重拥堵', kind: 'threshold', domain: 'traffic', severity: 'major', entityKind: 'town', metric: 'tpi', op: '>=', value: 8, clearValue: 7, forMin: 15, clearForMin: 10 },
  { id: 'traffic.town.tpi-anomaly', name: '镇街交通指数异常', kind: 'anomaly', domain: 'traffic', severity: 'info', entityKind: 'town', metric: 'tpi', zAbove: 3.5, minSamples: 4, minSpread: 0.5, forMin: 15, clearForMin: 15 },
  // Halls (§4.3): warn and critical per window, on waits and queue length.
  { id: 'halls.per-window-10', name: '大厅窗口人均等候 ≥ 10', kind: 'threshold', domain: 'halls', severity: 'warning', entityKind: 'hall', metric: 'waitingPerWindow', op: '>=', value: 10, clearValue: 8, forMin: 5, clearForMin: 10 },
  { id: 'halls.per-window-20', name: '大厅窗口人均等候 ≥ 20', kind: 'threshold', domain: 'halls', severity: 'critical', entityKind: 'hall', metric: 'waitingPerWindow', op: '>=', value: 20, clearValue: 16, forMin: 5, clearForMin: 10 },
  { id: 'halls.avg-wait-20', name: '大厅平均等候 ≥ 20 分钟', kind: 'threshold', domain: 'halls', severity: 'warning', entityKind: 'hall', metric: 'avgWaitMin', op: '>=', value: 20, clearValue: 18, forMin: 5, clearForMin: 10 },
  { id: 'halls.avg-wait-40', name: '大厅平均等候 ≥ 40 分钟', kind: 'threshold', domain: 'halls', severity: 'critical', entityKind: 'hall', metric: 'avgWaitMin', op: '>=', value: 40, clearValue: 35, forMin: 5, clearForMin: 10 },
  { id: 'halls.max-wait-45', name: '大厅单人等候 ≥ 45 分钟', kind: 'threshold', domain: 'halls', severity: 'warning', entityKind: 'hall', metric: 'maxWaitMin', op: '>=', value: 45, clearValue: 40, forMin: 0, clearForMin: 10 },
  { id: 'halls.wait-anomaly', name: '大厅等候时长异常', kind: 'anomaly', domain: 'halls', severity: 'info', entityKind: 'hall', metric: 'avgWaitMin', zAbove: 3.5, minSamples: 4, minSpread: 3, forMin: 10, clearForMin: 15 },
  // Feeds: a feed silent for 10 minutes.
  { id: 'feeds.silent', name: '数据源中断', kind: 'absence', domain: 'feeds', severity: 'major', entityKind: 'feed', silentMin: 10, clearForMin: 0, groupBy: 'domain' },
  // 12345 (§3.2, §3.5).
  { id: 'hotline.intake-anomaly', name: '镇街诉求量异常', kind: 'anomaly', domain: 'hotline', severity: 'warning', entityKind: 'town', metric: 'intake1h', zAbove: 3.5, minSamples: 4, minSpread: 2, forMin: 0, clearForMin: 30 },
  { id: 'hotline.mass-incident', name: '群体性诉求聚集', kind: 'cluster', domain: 'hotline', severity: 'major', minCount: 8, radiusM: 500, windowMin: 30, clearForMin: 30 },
  { id: 'hotline.smell', name: '异味投诉', kind: 'cluster', domain: 'hotline', severity: 'info', topics: ['environment'], keywords: ['异味', '臭', '气味', '刺鼻', '废气'], minCount: 3, radiusM: 3000, windowMin: 60, clearForMin: 30 },
  { id: 'hotline.water-main', name: '供水故障诉求', kind: 'cluster', domain: 'hotline', severity: 'warning', topics: ['utilities'], keywords: ['爆管', '停水', '漏水', '水管'], minCount: 3, radiusM: 1000, windowMin: 60, clearForMin: 30 },
  { id: 'hotline.deadline-near', name: '工单临近办理时限', kind: 'deadline', domain: 'hotline', severity: 'info', mode: 'near', withinMin: 240, clearForMin: 0, groupBy: 'domain' },
  { id: 'hotline.deadline-overdue', name: '工单超期', kind: 'deadline', domain: 'hotline', severity: 'warning', mode: 'overdue', clearForMin: 0, groupBy: 'domain' },
  // Across departments (issue 7): an air jump with smell complaints; a broken water main with congestion.
  { id: 'cross.air-smell', name: '空气污染与异味投诉关联', kind: 'correlation', domain: 'cross', severity: 'critical', sourceRuleIds: ['air.station.level-rise', 'air.station.aqi-150', 'air.town.aqi-150', 'hotline.smell'], minDomains: 2, windowMin: 60, clearForMin: 30 },
  { id: 'cross.water-traffic', name: '供水故障与交通拥堵关联', kind: 'correlation', domain: 'cross', severity: 'major', sourceRuleIds: ['hotline.water-main', 'traffic.town.severe', 'traffic.segment.severe'], minDomains: 2, windowMin: 60, clearForMin: 30 },
]

export function defaultRuleSet(): AlertRuleSet {
  return AlertRuleSetSchema.parse({ v: ALERT_RULES_VERSION, revision: 1, rules: RULES })
}
