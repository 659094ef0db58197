import { computeAqi } from '@shared/air/aqi'
import { HOURLY_INDICATORS } from '@shared/air/pollutants'
import type { AirObservation } from '@shared/schemas/air'
import type { HallObservation } from '@shared/schemas/halls'
import { RATING_LEVELS } from '@shared/schemas/halls'
import type { TrafficObservation } from '@shared/schemas/traffic'
import type { DomainBus } from '@server/bus'
import type { AirState } from '@server/live/air-state'
import type { HallState } from '@server/live/hall-state'
import type { IncidentState } from '@server/live/incident-state'
import type { TrafficState } from '@server/live/traffic-state'
import type { RollupSample, Store } from '@server/store/repositories'
import type { DeriveContext } from './incident.derive'
import { deriveIncident } from './incident.derive'
import type { IncidentHandler, TelemetryHandler } from './ingest'
import type { Incident } from '@shared/schemas/incidents'

/**
 * The last step of ingest, one per domain: apply to the live state, persist
 * it, publish, then fold into history. Events leave only after the store has
 * the new state; the rollups (a traffic round is some 4,000 upserts) come
 * after, off the way to the screens.
 */
export function airApplier(deps: { state: AirState, store: Store, bus: DomainBus }): TelemetryHandler<AirObservation> {
  return {
    async apply(latest, late, arrivedAt) {
      const applied = deps.state.apply(latest)
      if (applied.readings.length > 0) {
        await deps.store.air.saveLatest(applied.readings)
        const point = applied.city?.aqi.aqi != null ? [{ t: applied.city.observedAt, aqi: applied.city.aqi.aqi }] : []
        if (point[0])
          await deps.store.air.saveCityPoint(point[0])
        deps.bus.emit('air.updated', { readings: applied.readings, city: applied.city, trend: point }, { arrivedAt })
      }
      const samples: RollupSample[] = []
      for (const o of [...applied.readings, ...late.map(l => ({ ...l, aqi: computeAqi(l.indicators) }))]) {
        if (o.aqi.aqi !== null)
          samples.push({ kind: 'air', entityId: o.stationId, metric: 'aqi', observedAt: o.observedAt, value: o.aqi.aqi })
        // The hourly concentrations: the daily report's 24-hour means and O3 maxima are made of them (issue 9).
        for (const indicator of HOURLY_INDICATORS) {
          const value = o.indicators[indicator]
          if (value !== undefined)
            samples.push({ kind: 'air', entityId: o.stationId, metric: indicator, observedAt: o.observedAt, value })
        }
      }
      await deps.store.history.add(samples)
    },
  }
}

export function trafficApplier(deps: { state: TrafficState, store: Store, bus: DomainBus }): TelemetryHandler<TrafficObservation> {
  return {
    async apply(latest, late, arrivedAt) {
      const applied = deps.state.apply(latest)
      if (applied.segments.length > 0) {
        await deps.store.telemetry.saveLatest('traffic', applied.segments.map(r => ({ entityId: r.segmentId, observedAt: r.observedAt, reading: r })))
        deps.bus.emit('traffic.updated', applied.event, { arrivedAt })
      }
      const samples: RollupSample[] = [...applied.segments, ...late].map(o =>
        ({ kind: 'traffic', entityId: o.segmentId, metric: 'speedKmh', observedAt: o.observedAt, value: o.speedKmh }))
      if (applied.city) {
        const observedAt = applied.city.observedAt
        samples.push({ kind: 'traffic', entityId: 'city', metric: 'tpi', observedAt, value: applied.city.tpi })
        for (const town of applied.towns)
          samples.push({ kind: 'traffic', entityId: town.townCode, metric: 'tpi', observedAt, value: town.tpi })
      }
      await deps.store.history.add(samples)
    },
  }
}

export function hallApplier(deps: { state: HallState, store: Store, bus: DomainBus }): TelemetryHandler<HallObservation> {
  return {
    async apply(latest, late, arrivedAt) {
      const applied = deps.state.apply(latest)
      if (applied.halls.length > 0) {
        await deps.store.telemetry.saveLatest('hall', applied.halls.map(r => ({ entityId: r.hallId, observedAt: r.observedAt, reading: r })))
        deps.bus.emit('halls.updated', applied, { arrivedAt })
      }
      const samples: RollupSample[] = []
      for (const o of [...applied.halls, ...late]) {
        samples.push({ kind: 'hall', entityId: o.hallId, metric: 'waiting', observedAt: o.observedAt, value: o.waiting })
        samples.push({ kind: 'hall', entityId: o.hallId, metric: 'avgWaitMin', observedAt: o.observedAt, value: o.avgWaitMin })
        // Day counters: a day's maximum is its total (they reset at local midnight), the review's visitors and ratings.
        samples.push({ kind: 'hall', entityId: o.hallId, metric: 'ticketsToday', observedAt: o.observedAt, value: o.ticketsToday })
        for (const level of RATING_LEVELS)
          samples.push({ kind: 'hall', entityId: o.hallId, metric: `ratings.${level}`, observedAt: o.observedAt, value: o.ratingsToday[level] })
      }
      await deps.store.history.add(samples)
    },
  }
}

/**
 * `closedUpstream`: the stored reports that say their request is closed, as
 * upstream said it (the held incident shows its work order's state instead):
 * the dispatch service closes or finishes their orders.
 */
export function incidentApplier(deps: { state: IncidentState, store: Store, bus: DomainBus, derive: DeriveContext, closedUpstream?: (reports: Incident[]) => void }): IncidentHandler {
  return {
    async apply(source, reports, receivedAt) {
      const items = reports.map((report) => {
        const held = deps.state.get(`${source}:${report.ticketNo}`)
        return { incident: deriveIncident(source, report, receivedAt, held?.receivedAt, deps.derive), report }
      })
      const outcomes = await deps.store.incidents.save(items)
      const stored = items.filter((_, i) => outcomes[i] === 'created' || outcomes[i] === 'updated').map(i => i.incident)
      // As held: an update keeps the work order the center has moved on.
      const changed = deps.state.apply(stored)
      if (changed.length > 0) {
        deps.bus.emit('incidents.updated', { incidents: changed, summary: deps.state.summary() }, { arrivedAt: Date.parse(receivedAt) })
      }
      const closed = stored.filter(i => i.status === 'closed')
      if (closed.length > 0)
        deps.closedUpstream?.(closed)
      return outcomes
    },
  }
}
