import type { KpiKey, KpiSet } from '@shared/schemas/kpis'
import { KPI_KEYS, kpiAt } from '@shared/schemas/kpis'
import type { HistoryRepository, RollupSample } from '@server/store/repositories'
import type { KpiPast } from './kpis'
import { NO_PAST } from './kpis'

/**
 * KPIs are kept in the minute and hour rollups under this kind, the KPI key
 * as entity and this metric (GET /api/history names them `kpi.<key>`).
 */
export const KPI_HISTORY_KIND = 'kpi'
export const KPI_HISTORY_METRIC = 'value'

const MINUTE_MS = 60_000
const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const WEEK_MS = 7 * DAY_MS

const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * The KPIs' own history: what they were, folded into the minute and hour
 * rollups at most once a minute of the server's clock (so each minute holds
 * one sample), and read back from the hours as the day-ago and
 * week-ago comparisons. The comparisons come from the hour buckets holding
 * now − 24 h and now − 7 d; those hours are over, so they are read once per
 * hour of the clock and kept.
 */
export class KpiHistory {
  private lastMinute: number | undefined
  private loading: { hour: number, past: Promise<KpiPast> } | undefined
  private loaded: KpiPast = NO_PAST

  constructor(private readonly history: HistoryRepository) {}

  /**
   * Folds the set's compared KPIs (those with a value) into their minute
   * and hour, at the set's own time; false when a set of the same clock
   * minute was already recorded.
   */
  async record(set: KpiSet): Promise<boolean> {
    const minute = Math.floor(Date.parse(set.at) / MINUTE_MS)
    if (minute === this.lastMinute)
      return false
    this.lastMinute = minute
    const samples: RollupSample[] = []
    for (const key of KPI_KEYS) {
      const value = kpiAt(set, key).value
      if (value !== null)
        samples.push({ kind: KPI_HISTORY_KIND, entityId: key, metric: KPI_HISTORY_METRIC, observedAt: set.at, value })
    }
    await this.history.add(samples)
    return true
  }

  /** The comparisons for `now`: read once per clock hour; a failed read is tried again on the next call. */
  past(now: number): Promise<KpiPast> {
    const hour = Math.floor(now / HOUR_MS)
    if (this.loading?.hour === hour)
      return this.loading.past
    const loading = { hour, past: this.load(now) }
    this.loading = loading
    loading.past.then(
      (p) => {
        if (this.loading === loading)
          this.loaded = p
      },
      () => {
        if (this.loading === loading)
          this.loading = undefined
      },
    )
    return loading.past
  }

  /** The comparisons last read, for answers that cannot wait (snapshots); none before the first read. */
  held(): KpiPast {
    return this.loaded
  }

  private async load(now: number): Promise<KpiPast> {
    const [dayAgo, weekAgo] = await Promise.all([this.hourMeans(now - DAY_MS), this.hourMeans(now - WEEK_MS)])
    return { dayAgo, weekAgo }
  }

  /** Each KPI's mean over the hour holding `t`; KPIs without a row there are absent. */
  private async hourMeans(t: number): Promise<Map<KpiKey, number>> {
    const from = Math.floor(t / HOUR_MS) * HOUR_MS
    const rows = await Promise.all(KPI_KEYS.map(key => this.history.query({
      resolution: 'hour',
      kind: KPI_HISTORY_KIND,
      entityId: key,
      metric: KPI_HISTORY_METRIC,
      from: iso(from),
      to: iso(from + HOUR_MS),
    })))
    const means = new Map<KpiKey, number>()
    for (const [i, key] of KPI_KEYS.entries()) {
      const row = rows[i]?.[0]
      if (row)
        means.set(key, row.mean)
    }
    return means
  }
}
