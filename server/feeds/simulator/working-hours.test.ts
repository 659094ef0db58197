import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { WorkingCalendar } from '@shared/calendar/working-days'
import { handlingDeadline } from '@shared/incidents/deadline'
import { INCIDENT_NATURES } from '@shared/schemas/incidents'
import { Random } from '../random'
import { planClosure } from './incident-closures'
import { inOfficeHours, officeMsBetween } from './office-hours.fixture'
import { WORK_DAY_MS, WorkingHours } from './working-hours'

const MIN = 60_000
const DAY = 24 * 60 * MIN
const calendar = new WorkingCalendar()
const hours = new WorkingHours({ isWorkingDay: d => calendar.isWorkingDay(d) })
/** 2024 to 2026: Spring Festivals, Golden Weeks and make-up Saturdays included. */
const instant = fc.integer({ min: Date.parse('2024-01-01T00:00:00+08:00'), max: Date.parse('2026-12-31T00:00:00+08:00') })

describe('WorkingHours', () => {
  it('gives the deadline the server derives (shared handlingDeadline), holidays and make-up days included', () => {
    fc.assert(fc.property(instant, fc.constantFrom(...INCIDENT_NATURES), (t, nature) => {
      expect(hours.deadline(t, nature)).toBe(Date.parse(handlingDeadline(new Date(t), nature, calendar)))
    }), { numRuns: 2000 })
  })

  it('adds office time only, and lands within office hours', () => {
    fc.assert(fc.property(instant, fc.integer({ min: 0, max: 25 * WORK_DAY_MS }), (from, workMs) => {
      const at = hours.addWorkingTime(from, workMs)
      expect(inOfficeHours(at, calendar)).toBe(true)
      expect(officeMsBetween(from, at, calendar)).toBe(workMs)
    }), { numRuns: 2000 })
  })

  it('does not hang on a calendar without working days', () => {
    const broken = new WorkingHours({ isWorkingDay: () => false })
    const t = Date.parse('2026-11-23T09:00:00+08:00')
    expect(broken.deadline(t, 'complaint')).toBe(t - 9 * 60 * MIN + 16 * DAY)
    expect(broken.addWorkingTime(t, 3 * WORK_DAY_MS)).toBeGreaterThan(t + 2 * DAY)
  })
})

describe('planClosure', () => {
  it('closes every order once, after it was filed: 咨询 partly at once, departments in office hours, late ones only past the deadline', () => {
    const order = fc.record({
      nature: fc.constantFrom(...INCIDENT_NATURES),
      urgent: fc.boolean(),
      reportedAt: instant,
      filedAfterMs: fc.integer({ min: 30_000, max: 180_000 }),
      seed: fc.integer({ min: 0, max: 2 ** 31 }),
    })
    fc.assert(fc.property(order, (o) => {
      const filedAt = Math.floor((o.reportedAt + o.filedAfterMs) / 1000) * 1000
      const plan = planClosure({ nature: o.nature, urgent: o.urgent, reportedAt: o.reportedAt, filedAt }, hours, new Random(o.seed))
      const deadline = Date.parse(handlingDeadline(new Date(o.reportedAt), o.nature, calendar))
      // A newer version even at whole seconds.
      expect(plan.at).toBeGreaterThanOrEqual(filedAt + 1000)
      expect(plan.kind === 'overdue').toBe(plan.at >= deadline)
      if (plan.kind === 'direct') {
        expect(o.nature).toBe('consult')
        expect(plan.at - filedAt).toBeLessThanOrEqual(15 * MIN)
      }
      else if (!o.urgent || plan.kind === 'overdue') {
        expect(inOfficeHours(plan.at, calendar)).toBe(true)
      }
    }), { numRuns: 3000 })
  })
})
