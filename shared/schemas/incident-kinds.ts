import { z } from 'zod'

/** What a 12345 request is: its nature and topic (apart from incidents.ts, so work orders can name them too). */

/** The nature of a 12345 request (domain.md §3.5): 咨询 求助 投诉 举报 建议. */
export const INCIDENT_NATURES = ['consult', 'help', 'complaint', 'report', 'suggestion'] as const
export const IncidentNature = z.enum(INCIDENT_NATURES)
export type IncidentNature = z.infer<typeof IncidentNature>

/** What a request is about; each topic routes to a department (city model). */
export const INCIDENT_TOPICS = [
  'city-management', // 城市管理: 占道经营, 违建, 垃圾
  'environment', // 环境保护: 噪声, 油烟, 废气, 污水
  'transport', // 交通: 信号灯, 违停, 公交
  'housing', // 住建与物业
  'utilities', // 供水、供电、燃气
  'market', // 市场监管: 消费纠纷, 食品安全
  'labour', // 人社: 欠薪, 社保
  'education', // 教育
  'health', // 医疗卫生
  'public-security', // 公安 (non-emergency)
  'emergency', // 应急: 安全隐患
  'local', // 镇街属地: the town government
] as const
export const IncidentTopic = z.enum(INCIDENT_TOPICS)
export type IncidentTopic = z.infer<typeof IncidentTopic>

/** The topics' Chinese names, as the wall and alert titles say them. */
export const INCIDENT_TOPIC_ZH: Readonly<Record<IncidentTopic, string>> = {
  'city-management': '城市管理',
  'environment': '环境保护',
  'transport': '交通出行',
  'housing': '住建物业',
  'utilities': '水电燃气',
  'market': '市场监管',
  'labour': '劳动社保',
  'education': '教育',
  'health': '医疗卫生',
  'public-security': '公安',
  'emergency': '应急安全',
  'local': '镇街事务',
}
