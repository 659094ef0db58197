import type { AlertDomain, EntityKind, MetricName } from '@shared/schemas/alert-rules'

export { METRIC_ZH } from '@shared/schemas/alert-rules'
import type { IncidentTopic } from '@shared/schemas/incidents'
import type { BaselineSet } from './baseline'

/**
 * The narrow view of the live city the evaluator reads. The live states
 * (server/live/*) are projected into it by the caller; tests build it by hand.
 * Times are epoch milliseconds.
 */
export interface EntityFact {
  id: string
  /** Chinese name used in alert titles (莞城街道, 东城主干道 K3 段, 市民服务中心). */
  name: string
  townCode: string | null
  /** Time of the latest report; null when it never reported. */
  observedAt: number | null
  metrics: Readonly<Partial<Record<MetricName, number>>>
}

/** A 12345 incident as clustering sees it. */
export interface IncidentFact {
  id: string
  topic: IncidentTopic
  townCode: string | null
  /** WGS-84; incidents without a position are not clustered. */
  lng?: number
  lat?: number
  reportedAt: number
  /** Title and description, for keyword filters. */
  text: string
}

/** Anything with a due time: 12345 incidents now, dispatch work orders later. */
export interface DeadlineFact {
  id: string
  source: string
  townCode: string | null
  title: string
  dueAt: number
  open: boolean
}

export interface CityFacts {
  entities: Readonly<Partial<Record<EntityKind, readonly EntityFact[]>>>
  /** Open incidents (recent ones at least: clustering looks back a window). */
  incidents: readonly IncidentFact[]
  deadlines: readonly DeadlineFact[]
  /** Town code → Chinese name. */
  townNames: Readonly<Record<string, string>>
  /** Learned baselines for anomaly rules (server/alerts/baseline.ts). */
  baselines?: BaselineSet
}

export const DOMAIN_ZH: Record<AlertDomain, string> = {
  air: '空气质量',
  traffic: '道路交通',
  halls: '政务大厅',
  hotline: '12345 热线',
  feeds: '数据接入',
  cross: '跨部门',
}


export function emptyFacts(): CityFacts {
  return { entities: {}, incidents: [], deadlines: [], townNames: {} }
}
