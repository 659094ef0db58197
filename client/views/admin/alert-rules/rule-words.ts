import type { AlertRuleInput, CompareOp, EntityKind, MetricName } from '@shared/schemas/alert-rules'
import { METRIC_ZH } from '@shared/schemas/alert-rules'
import { INCIDENT_TOPIC_ZH } from '@shared/schemas/incidents'

/**
 * A rule's condition in words, for the list an administrator scans:
 * "站点 AQI > 150 持续 20 分钟，≤ 140 持续 20 分钟后解除". Chinese first;
 * English for visitors. Pure, so it is tested without a page.
 */
export type WordsLang = 'zh-CN' | 'en'

interface Phrasebook {
  entity: Record<EntityKind, string>
  metric: Record<MetricName, string>
  unit: Partial<Record<MetricName, string>>
  sep: string
  list: string
  lasting: (min: number) => string
  clearAfter: (cond: string, min: number) => string
  clearOnFalse: (min: number) => string
  rate: (subject: string, rise: string, windowMin: string) => string
  anomaly: (subject: string, z: string, direction: 'above' | 'below' | 'both', minSamples: string) => string
  absence: (entity: string, min: string) => string
  cluster: (count: string, radiusM: string, windowMin: string) => string
  topics: (names: string) => string
  keywords: (words: string) => string
  correlation: (minDomains: string, windowMin: string, sources: string) => string
  deadlineNear: (min: string) => string
  deadlineOverdue: string
  sources: (names: string) => string
}

const ZH: Phrasebook = {
  entity: { city: '全市', town: '镇街', station: '站点', segment: '路段', hall: '大厅', feed: '数据源' },
  metric: METRIC_ZH,
  unit: { pm25: ' µg/m³', speedKmh: ' km/h', waiting: ' 人', waitingPerWindow: ' 人', avgWaitMin: ' 分钟', maxWaitMin: ' 分钟', intake1h: ' 件', openIncidents: ' 件' },
  sep: '，',
  list: '、',
  lasting: min => (min > 0 ? ` 持续 ${min} 分钟` : ''),
  clearAfter: (cond, min) => (min > 0 ? `${cond} 持续 ${min} 分钟后解除` : `${cond} 即解除`),
  clearOnFalse: min => (min > 0 ? `条件消失 ${min} 分钟后解除` : '条件消失即解除'),
  rate: (subject, rise, windowMin) => `${subject} ${windowMin} 分钟内较最低值上升 ≥ ${rise}`,
  anomaly: (subject, z, direction, minSamples) => `${subject}${{ above: '高于', below: '低于', both: '偏离' }[direction]}同星期同时段基线 z > ${z}（样本 ≥ ${minSamples}）`,
  absence: (entity, min) => `${entity} ${min} 分钟无数据`,
  cluster: (count, radiusM, windowMin) => `${windowMin} 分钟内 ${radiusM} 米范围 ≥ ${count} 件同类诉求`,
  topics: names => `（${names}）`,
  keywords: words => `，含“${words}”`,
  correlation: (minDomains, windowMin, sources) => `${windowMin} 分钟内同一镇街 ≥ ${minDomains} 个领域同时出现：${sources}`,
  deadlineNear: min => `工单距办理时限 ≤ ${min} 分钟`,
  deadlineOverdue: '工单已超过办理时限',
  sources: names => `（来源 ${names}）`,
}

const EN: Phrasebook = {
  entity: { city: 'City', town: 'Town', station: 'Station', segment: 'Segment', hall: 'Hall', feed: 'Feed' },
  metric: {
    aqi: 'AQI',
    aqiLevel: 'AQI level',
    pm25: 'PM2.5',
    tpi: 'TPI',
    speedKmh: 'speed',
    congestionLevel: 'congestion grade',
    waiting: 'people waiting',
    waitingPerWindow: 'waiting per window',
    avgWaitMin: 'average wait',
    maxWaitMin: 'longest wait',
    intake1h: 'requests in the last hour',
    openIncidents: 'open orders',
  },
  unit: { pm25: ' µg/m³', speedKmh: ' km/h', avgWaitMin: ' min', maxWaitMin: ' min' },
  sep: '; ',
  list: ', ',
  lasting: min => (min > 0 ? ` for ${min} min` : ''),
  clearAfter: (cond, min) => (min > 0 ? `clears at ${cond} for ${min} min` : `clears at ${cond}`),
  clearOnFalse: min => (min > 0 ? `clears ${min} min after the condition ends` : 'clears when the condition ends'),
  rate: (subject, rise, windowMin) => `${subject} up ≥ ${rise} on its low within ${windowMin} min`,
  anomaly: (subject, z, direction, minSamples) => `${subject} ${direction} its weekday-hour baseline, z > ${z} (≥ ${minSamples} samples)`,
  absence: (entity, min) => `${entity} silent for ${min} min`,
  cluster: (count, radiusM, windowMin) => `≥ ${count} similar requests within ${radiusM} m in ${windowMin} min`,
  topics: names => ` (${names})`,
  keywords: words => `, mentioning "${words}"`,
  correlation: (minDomains, windowMin, sources) => `≥ ${minDomains} domains in one town within ${windowMin} min: ${sources}`,
  deadlineNear: min => `An order due within ${min} min`,
  deadlineOverdue: 'An order past its time limit',
  sources: names => ` (from ${names})`,
}

const BOOKS: Record<WordsLang, Phrasebook> = { 'zh-CN': ZH, 'en': EN }

/** The op under which a firing threshold alert clears: the negation of the op it holds under. */
const CLEAR_OP: Record<CompareOp, string> = { '>': '≤', '>=': '<', '<': '≥', '<=': '>' }
const SHOWN_OP: Record<CompareOp, string> = { '>': '>', '>=': '≥', '<': '<', '<=': '≤' }

function shown(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : '?'
}

/**
 * The condition of a rule as a sentence. A rule being edited may hold blanks
 * (an emptied number field): they read as "?" rather than failing.
 * `ruleName` names a correlation's sources; their ids when it does not know them.
 */
export function conditionWords(rule: AlertRuleInput, lang: WordsLang = 'zh-CN', ruleName: (id: string) => string | undefined = () => undefined): string {
  const b = BOOKS[lang]
  const forMin = rule.forMin ?? 0
  const clearForMin = rule.clearForMin ?? 5
  const lasting = b.lasting(forMin)
  const onFalse = b.clearOnFalse(clearForMin)
  switch (rule.kind) {
    case 'threshold': {
      const unit = b.unit[rule.metric] ?? ''
      const clearAt = rule.clearValue ?? rule.value
      const fire = `${b.entity[rule.entityKind]} ${b.metric[rule.metric]} ${SHOWN_OP[rule.op]} ${shown(rule.value)}${unit}${lasting}`
      return `${fire}${b.sep}${b.clearAfter(`${CLEAR_OP[rule.op]} ${shown(clearAt)}${unit}`, clearForMin)}`
    }
    case 'rate': {
      const subject = `${b.entity[rule.entityKind]} ${b.metric[rule.metric]}`
      return `${b.rate(subject, `${shown(rule.riseBy)}${b.unit[rule.metric] ?? ''}`, shown(rule.windowMin))}${lasting}${b.sep}${onFalse}`
    }
    case 'anomaly': {
      const subject = `${b.entity[rule.entityKind]} ${b.metric[rule.metric]}`
      return `${b.anomaly(subject, shown(rule.zAbove), rule.direction ?? 'above', shown(rule.minSamples))}${lasting}${b.sep}${onFalse}`
    }
    case 'absence':
      return `${b.absence(b.entity[rule.entityKind], shown(rule.silentMin))}${b.sep}${onFalse}`
    case 'cluster': {
      const topics = rule.topics?.length ? b.topics(rule.topics.map(t => (lang === 'zh-CN' ? INCIDENT_TOPIC_ZH[t] : t)).join(b.list)) : ''
      const keywords = rule.keywords?.length ? b.keywords(rule.keywords.join('/')) : ''
      return `${b.cluster(shown(rule.minCount), shown(rule.radiusM), shown(rule.windowMin))}${topics}${keywords}${lasting}${b.sep}${onFalse}`
    }
    case 'correlation': {
      const sources = rule.sourceRuleIds.map(id => ruleName(id) ?? id).join(b.list)
      return `${b.correlation(shown(rule.minDomains), shown(rule.windowMin), sources)}${lasting}${b.sep}${onFalse}`
    }
    case 'deadline': {
      const what = rule.mode === 'near' ? b.deadlineNear(shown(rule.withinMin)) : b.deadlineOverdue
      const sources = rule.sources?.length ? b.sources(rule.sources.join(b.list)) : ''
      return `${what}${sources}${lasting}${b.sep}${onFalse}`
    }
  }
}

/** A metric's name, for the form's choices. */
export function metricLabel(metric: MetricName, lang: WordsLang = 'zh-CN'): string {
  return BOOKS[lang].metric[metric]
}
