import type express from 'express'
import type { HistoryCatalog, HistoryMetric, HistoryPoint, HistoryResolution, HistoryResponse } from '@shared/schemas/history'
import { HISTORY_MAX_POINTS, HISTORY_MAX_STEP, HISTORY_METRIC_INFO, HistoryQuery, RESOLUTION_MS } from '@shared/schemas/history'
import { KPI_HISTORY_KIND, KPI_HISTORY_METRIC } from '@server/live/kpis.history'
import type { RollupKind, RollupRow, Store } from '@server/store/repositories'
import type { GuardDeps } from '@server/auth/guard'
import { guardedRouter } from '@server/auth/guard'
import { parseOr400 } from './query'

export interface HistoryRoutesDeps {
  store: Store
  guard: GuardDeps
  /** How long each resolution is kept (IOC_HISTORY_MINUTE_DAYS, IOC_HISTORY_HOUR_DAYS), for the catalog. */
  historyRetentionDays: Record<HistoryResolution, number>
}

const KPI_PREFIX = 'kpi.'
/** Means to six significant digits: a day of minutes stays small on the wire; the store keeps full precision. */
const MEAN_DIGITS = 6

/**
 * The query as it was before minute rollups (`kind`, and `entity`/`metric`
 * as stored: kind=kpi&entity=traffic.tpi&metric=value) names the same series
 * as the metric ids, so old links keep working.
 */
function fromStoredNames(query: Record<string, unknown>): Record<string, unknown> {
  const { kind, entity, metric, ...rest } = query
  if (typeof kind !== 'string')
    return query
  if (kind === KPI_HISTORY_KIND && metric === KPI_HISTORY_METRIC && typeof entity === 'string')
    return { ...rest, metric: `${KPI_PREFIX}${entity}` }
  return { ...rest, entity, metric: typeof metric === 'string' ? `${kind}.${metric}` : metric }
}

/** Where a metric of an entity is kept: `air.aqi` of a station is (air, station, aqi); `kpi.<key>` is (kpi, key, value). */
export function seriesOf(metric: HistoryMetric, entity: string): { kind: RollupKind, entityId: string, metric: string } {
  if (metric.startsWith(KPI_PREFIX))
    return { kind: KPI_HISTORY_KIND, entityId: metric.slice(KPI_PREFIX.length), metric: KPI_HISTORY_METRIC }
  const [kind, name] = metric.split('.') as [RollupKind, string]
  return { kind, entityId: entity, metric: name }
}

/** Folds rollups (oldest first) into buckets of `stepMs` aligned to the epoch: n-weighted mean, overall min and max. */
export function foldIntoSteps(rows: readonly RollupRow[], stepMs: number): HistoryPoint[] {
  const points: HistoryPoint[] = []
  let open: { t: number, n: number, sum: number, min: number, max: number } | undefined
  const close = (b: NonNullable<typeof open>): void => {
    points.push({ t: new Date(b.t).toISOString(), n: b.n, mean: Number((b.sum / b.n).toPrecision(MEAN_DIGITS)), min: b.min, max: b.max })
  }
  for (const r of rows) {
    const t = Math.floor(Date.parse(r.start) / stepMs) * stepMs
    if (open?.t === t) {
      open.n += r.n
      open.sum += r.mean * r.n
      open.min = Math.min(open.min, r.min)
      open.max = Math.max(open.max, r.max)
      continue
    }
    if (open)
      close(open)
    open = { t, n: r.n, sum: r.mean * r.n, min: r.min, max: r.max }
  }
  if (open)
    close(open)
  return points
}

/**
 * GET /api/history/metrics lists what the history holds; GET /api/history
 * answers one metric of one entity over a range, per minute or per hour, in
 * buckets of `step` of them.
 */
export function historyRoutes(deps: HistoryRoutesDeps): express.Router {
  const { router, route } = guardedRouter(deps.guard)
  const catalog: HistoryCatalog = {
    metrics: [...HISTORY_METRIC_INFO],
    retentionDays: deps.historyRetentionDays,
    maxPoints: HISTORY_MAX_POINTS,
    maxStep: HISTORY_MAX_STEP,
  }

  route('get', '/history/metrics', 'live.view', (_req, res) => {
    res.set('Cache-Control', 'public, max-age=300').json(catalog)
  })

  route('get', '/history', 'live.view', async (req, res) => {
    const q = parseOr400(HistoryQuery, fromStoredNames(req.query), res, 'query')
    if (!q)
      return
    const stepMs = q.step * RESOLUTION_MS[q.resolution]
    // The first bucket is whole: it starts at or before `from`.
    const from = new Date(Math.floor(Date.parse(q.from) / stepMs) * stepMs).toISOString()
    const to = new Date(q.to).toISOString()
    const rows = await deps.store.history.query({ resolution: q.resolution, ...seriesOf(q.metric, q.entity), from, to })
    const body: HistoryResponse = {
      metric: q.metric,
      entity: q.entity,
      resolution: q.resolution,
      stepMs,
      from,
      to,
      rows: foldIntoSteps(rows, stepMs),
    }
    res.json(body)
  })

  return router
}
