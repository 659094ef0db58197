import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { localDate, localMidnight } from '@shared/calendar/working-days'
import { mergeIncident } from '@shared/dispatch/handled'
import type { Incident } from '@shared/schemas/incidents'
import type { IncidentCounts } from './incident-state'
import { CLOSED_KEPT_MS, IncidentState } from './incident-state'

const T0 = Date.parse('2026-11-23T01:00:00Z')
const HOUR = 3_600_000
const iso = (ms: number): string => new Date(ms).toISOString()

/**
 * The counts as first written: every held incident and closure counted again
 * on each call. The state keeps them as incidents change; both must agree.
 */
class Recount {
  readonly held = new Map<string, Incident>()
  readonly closures = new Map<string, { closedAt: number, onTime: boolean }>()

  apply(incidents: readonly Incident[], now: number): void {
    for (const incident of incidents) {
      const held = this.held.get(incident.id)
      const merged = mergeIncident(held, incident)
      if (merged === held)
        continue
      this.held.set(incident.id, merged)
      if (merged.status !== 'closed' || merged.drillId !== undefined)
        this.closures.delete(merged.id)
      else
        this.closures.set(merged.id, { closedAt: Date.parse(merged.version), onTime: Date.parse(merged.version) <= Date.parse(merged.dueAt) })
    }
    for (const [id, incident] of this.held) {
      if (incident.status === 'closed' && Date.parse(incident.reportedAt) < now - CLOSED_KEPT_MS)
        this.held.delete(id)
    }
    for (const [id, closure] of this.closures) {
      if (closure.closedAt < now - 25 * HOUR)
        this.closures.delete(id)
    }
  }

  counts(now: number): IncidentCounts {
    const midnight = localMidnight(localDate(now))
    const c: IncidentCounts = { open: 0, overdue: 0, intakeToday: 0, byNature: {}, byTopic: {}, byTown: {}, byDepartment: {}, closedToday: 0, closedOnTimeToday: 0 }
    for (const i of this.held.values()) {
      if (i.drillId !== undefined)
        continue
      if (Date.parse(i.reportedAt) >= midnight)
        c.intakeToday++
      if (i.status !== 'open')
        continue
      c.open++
      if (now >= Date.parse(i.dueAt))
        c.overdue++
      c.byNature[i.nature] = (c.byNature[i.nature] ?? 0) + 1
      c.byTopic[i.topic] = (c.byTopic[i.topic] ?? 0) + 1
      c.byTown[i.townCode ?? ''] = (c.byTown[i.townCode ?? ''] ?? 0) + 1
      c.byDepartment[i.departmentId] = (c.byDepartment[i.departmentId] ?? 0) + 1
    }
    for (const closure of this.closures.values()) {
      if (closure.closedAt >= midnight) {
        c.closedToday++
        if (closure.onTime)
          c.closedOnTimeToday++
      }
    }
    return c
  }
}

/** A report of one of a few tickets, relative to the clock: reported up to 3 days back, due up to 2 days either side. */
const report = fc.record({
  ticket: fc.integer({ min: 1, max: 12 }),
  reportedAgo: fc.integer({ min: 0, max: 72 * HOUR }),
  versionAgo: fc.integer({ min: 0, max: 2 * HOUR }),
  // Whole quarter hours, like the clock's steps, so that deadlines fall exactly on `now` too.
  dueIn: fc.integer({ min: -192, max: 192 }).map(q => q * HOUR / 4),
  closed: fc.boolean(),
  drill: fc.boolean().map(b => (b ? 'drill-1' : undefined)),
  nature: fc.constantFrom('complaint', 'consult', 'help'),
  topic: fc.constantFrom('environment', 'traffic') as fc.Arbitrary<Incident['topic']>,
  townCode: fc.constantFrom('441900003', '441900004', null),
  departmentId: fc.constantFrom('dg-eco', 'dg-urban'),
})

const step = fc.oneof(
  fc.record({ kind: fc.constant('reports' as const), reports: fc.array(report, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('clock' as const), ms: fc.integer({ min: 0, max: 120 }).map(q => q * HOUR / 4) }),
)

type Report = typeof report extends fc.Arbitrary<infer R> ? R : never

function incidentOf(r: Report, now: number): Incident {
  const reportedAt = iso(now - r.reportedAgo)
  const version = iso(Math.max(now - r.versionAgo, now - r.reportedAgo))
  return {
    ticketNo: `T${r.ticket}`,
    id: `sim:T${r.ticket}`,
    source: 'sim',
    version,
    nature: r.nature,
    topic: r.topic,
    urgency: 'normal',
    status: r.closed ? 'closed' : 'open',
    title: 'noise',
    description: '',
    townCode: r.townCode,
    departmentId: r.departmentId,
    receivedAt: reportedAt,
    updatedAt: version,
    reportedAt,
    dueAt: iso(now + r.dueIn),
    ...(r.drill ? { drillId: r.drill } : {}),
  }
}

describe('IncidentState', () => {
  it('keeps the same counts and list as counting every held incident again, over random reports, reopenings, drills and days passing', () => {
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 60 }), (steps) => {
      let now = T0
      const state = new IncidentState(() => now)
      const recount = new Recount()
      for (const s of steps) {
        if (s.kind === 'clock') {
          now += s.ms
        }
        else {
          const incidents = s.reports.map(r => incidentOf(r, now))
          state.apply(incidents)
          recount.apply(incidents, now)
        }
        expect(state.counts()).toEqual(recount.counts(now))
        expect(state.list(1_000).map(i => i.id).sort()).toEqual([...recount.held.keys()].sort())
      }
    }), { numRuns: 300 })
  })
})
