import { describe, expect, it } from 'vitest'
import type { AlertRuleInput } from '@shared/schemas/alert-rules'
import type { AlertRecord, TransitionType } from './lifecycle'
import { acknowledge, advance, DEFAULT_LIFECYCLE_OPTIONS, newRecord } from './lifecycle'
import { MINUTE_MS, rule, T0 } from './test-support'

const base: AlertRuleInput = { id: 'r', name: '测试', kind: 'threshold', domain: 'air', severity: 'major', entityKind: 'station', metric: 'aqi', op: '>', value: 150, forMin: 20, clearForMin: 10 }

/** Drives one key through a series of (minute, condition) steps and returns "minute:transition" strings. */
function drive(input: AlertRuleInput, steps: readonly (readonly [number, boolean])[], record?: AlertRecord): { log: string[], r: AlertRecord } {
  const rl = rule(input)
  const r = record ?? newRecord(rl, 's1', '441900003', T0)
  const log: string[] = []
  for (const [minute, condition] of steps) {
    const observed = { condition, townCode: '441900003', value: condition ? 160 : 120, title: 't' }
    for (const t of advance(r, rl, observed, T0 + minute * MINUTE_MS, DEFAULT_LIFECYCLE_OPTIONS))
      log.push(`${minute}:${t.type}`)
  }
  return { log, r }
}

const every = (from: number, to: number, stepMin: number, condition: boolean): [number, boolean][] => {
  const out: [number, boolean][] = []
  for (let m = from; m <= to; m += stepMin)
    out.push([m, condition])
  return out
}

describe('lifecycle', () => {
  it('goes pending, then fires once the for duration is met', () => {
    const { log, r } = drive(base, every(0, 30, 5, true))
    expect(log).toEqual(['0:pending', '20:raised'])
    expect(r.phase).toBe('firing')
    expect(r.alertId).toBe(`r|s1|${T0 + 20 * MINUTE_MS}`)
  })

  it('cancels a pending alert whose condition drops before the for duration', () => {
    const { log, r } = drive(base, [[0, true], [10, true], [15, false], [20, true]])
    expect(log).toEqual(['0:pending', '15:cancelled', '20:pending'])
    expect(r.phase).toBe('pending')
  })

  it('fires at once with a zero for duration', () => {
    expect(drive({ ...base, forMin: 0 }, [[0, true]]).log).toEqual(['0:pending', '0:raised'])
  })

  it('clears only after the condition has been false for the clear time (hysteresis)', () => {
    const steps: [number, boolean][] = [...every(0, 20, 5, true), [25, false], [30, false], [32, true], [35, false], [40, false], [44, false], [45, false]]
    expect(drive(base, steps).log).toEqual(['0:pending', '20:raised', '45:resolved'])
  })

  it('holds a flapping alert firing and lets it resolve once it is steady', () => {
    const flappy: [number, boolean][] = [...every(0, 20, 5, true)]
    for (let m = 21; m <= 28; m++)
      flappy.push([m, m % 2 === 0])
    flappy.push(...every(30, 45, 5, false))
    const { log, r } = drive({ ...base, clearForMin: 2 }, flappy)
    expect(log.filter(l => l.endsWith('resolved'))).toEqual([])
    // Flips at 0 (activation) and 21…28: the seventh, at 26, is one more than the six allowed in 30 minutes.
    expect(log).toContain('26:flapping')
    expect(r.flapping).toBe(true)
    expect(r.phase).toBe('firing')
    // Flips age out of the 30-minute window (at 60 only the flip at 30 is left), the alert is steady again and resolves.
    const later = drive({ ...base, clearForMin: 2 }, every(50, 70, 5, false), r)
    expect(later.log).toEqual(['60:steady', '60:resolved'])
  })

  it('escalates a critical alert left unacknowledged, once', () => {
    const { log } = drive({ ...base, severity: 'critical', forMin: 0 }, every(0, 40, 5, true))
    expect(log).toEqual(['0:pending', '0:raised', '10:escalated'])
    const custom = drive({ ...base, severity: 'critical', forMin: 0, escalateAfterMin: 25 }, every(0, 40, 5, true))
    expect(custom.log).toEqual(['0:pending', '0:raised', '25:escalated'])
    expect(drive({ ...base, forMin: 0 }, every(0, 40, 5, true)).log).toEqual(['0:pending', '0:raised'])
  })

  it('does not escalate an acknowledged alert, and keeps who acknowledged it until it resolves', () => {
    const rl = rule({ ...base, severity: 'critical', forMin: 0 })
    const { r } = drive({ ...base, severity: 'critical', forMin: 0 }, [[0, true]])
    expect(acknowledge(r, 'duty-wang', T0 + 5 * MINUTE_MS)?.type).toBe('acknowledged')
    expect(acknowledge(r, 'someone', T0 + 6 * MINUTE_MS)).toBeNull()
    const types: TransitionType[] = []
    for (let m = 10; m <= 30; m += 5)
      types.push(...advance(r, rl, { condition: true, townCode: null, value: 1, title: 't' }, T0 + m * MINUTE_MS, DEFAULT_LIFECYCLE_OPTIONS).map(t => t.type))
    expect(types).toEqual([])
    expect(r).toMatchObject({ phase: 'acknowledged', acknowledgedBy: 'duty-wang', acknowledgedAt: T0 + 5 * MINUTE_MS })
    expect(advance(r, rl, null, T0 + 31 * MINUTE_MS, DEFAULT_LIFECYCLE_OPTIONS).map(t => t.type)).toEqual([])
    expect(advance(r, rl, null, T0 + 40 * MINUTE_MS, DEFAULT_LIFECYCLE_OPTIONS).map(t => t.type)).toEqual([])
    expect(advance(r, rl, null, T0 + 41 * MINUTE_MS, DEFAULT_LIFECYCLE_OPTIONS).map(t => t.type)).toEqual(['resolved'])
    expect(r.acknowledgedBy).toBeNull()
  })

  it('cannot acknowledge what is only pending', () => {
    const { r } = drive(base, [[0, true]])
    expect(acknowledge(r, 'op', T0)).toBeNull()
  })

  it('groups by town or by domain', () => {
    expect(newRecord(rule(base), 's1', '441900003', T0).groupKey).toBe('town:441900003')
    expect(newRecord(rule(base), 's1', null, T0).groupKey).toBe('town:city')
    expect(newRecord(rule({ ...base, groupBy: 'domain' }), 's1', '441900003', T0).groupKey).toBe('domain:air')
  })
})
