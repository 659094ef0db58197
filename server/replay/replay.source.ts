import { HOURLY_INDICATORS } from '@shared/air/pollutants'
import type { Alert } from '@shared/schemas/alerts'
import { KPI_HISTORY_KIND, KPI_HISTORY_METRIC } from '@server/live/kpis.history'
import type { RollupKind, Store } from '@server/store/repositories'
import type { ReplaySource } from './replay.builder'
import { REPLAY_LOOKBACK_MS } from './replay.builder'
import { HALL_REPLAY_METRICS } from './replay.telemetry'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const iso = (t: number): string => new Date(t).toISOString()

/** The series a replay folds: every entity's, one query each. */
const SERIES: readonly { kind: RollupKind, metric: string }[] = [
  { kind: 'traffic', metric: 'speedKmh' },
  ...HOURLY_INDICATORS.map(metric => ({ kind: 'air' as const, metric })),
  ...HALL_REPLAY_METRICS.map(metric => ({ kind: 'hall' as const, metric })),
]

/** Reads what a replay of [from, to) (whole minutes) is folded from. */
export async function loadReplaySource(store: Store, from: number, to: number): Promise<ReplaySource> {
  const since = iso(from - REPLAY_LOOKBACK_MS)
  const [telemetry, kpiHours, events] = await Promise.all([
    Promise.all(SERIES.map(s => store.history.queryAll({ resolution: 'minute', ...s, from: since, to: iso(to) }))).then(parts => parts.flat()),
    store.history.queryAll({ resolution: 'hour', kind: KPI_HISTORY_KIND, metric: KPI_HISTORY_METRIC, from: iso(from - 7 * DAY_MS - HOUR_MS), to: iso(to - DAY_MS + HOUR_MS) }),
    store.replay.events({ from: iso(from), to: iso(to) }),
  ])
  const alerts = (await Promise.all(events.alertIds.map(id => store.alerts.get(id)))).filter((a): a is Alert => a !== undefined)
  return { from, to, telemetry, kpiHours, events, alerts }
}
