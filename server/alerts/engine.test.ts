import { describe, expect, it } from 'vitest'
import type { AlertSilence } from '@shared/schemas/alert-rules'
import { AlertEngine } from './engine'
import type { CityFacts } from './facts'
import { entity, facts, fakeClock, MINUTE_MS, ruleSet, T0 } from './test-support'

const rules = ruleSet(
  { id: 'aqi-150', name: '中度污染', kind: 'threshold', domain: 'air', severity: 'critical', entityKind: 'station', metric: 'aqi', op: '>', value: 150, clearValue: 140, forMin: 20, clearForMin: 10 },
  { id: 'jam', name: '拥堵', kind: 'threshold', domain: 'traffic', severity: 'warning', entityKind: 'town', metric: 'tpi', op: '>=', value: 8, forMin: 0, clearForMin: 0 },
)
const city = (aqi: number, t: number, tpi = 3): CityFacts => facts({ entities: {
  station: [entity('s1', { aqi }, { name: '莞城街道', observedAt: t }), entity('s2', { aqi: 60 }, { observedAt: t, townCode: '441900004' })],
  town: [entity('441900003', { tpi }, { name: '莞城街道', observedAt: t })],
} })
const iso = (minute: number): string => new Date(T0 + minute * MINUTE_MS).toISOString()
const silence = (over: Partial<AlertSilence>): AlertSilence =>
  ({ id: 'sil', kind: 'silence', matchers: {}, startsAt: iso(0), endsAt: iso(60), createdBy: 'duty', comment: '', ...over })

describe(AlertEngine.name, () => {
  it('raises one alert per rule and entity, and resolves it after the clear hysteresis', () => {
    const engine = new AlertEngine({ rules })
    const clock = fakeClock()
    const log: string[] = []
    const run = (aqi: number) => {
      for (const t of engine.step(clock.now(), city(aqi, clock.now())))
        log.push(`${(t.at - T0) / MINUTE_MS}:${t.type}:${t.entityId}:${t.notify}`)
      clock.advance(5)
    }
    for (const aqi of [168, 170, 172, 175, 171, 168, 145, 138, 135, 130, 120])
      run(aqi)
    expect(log).toEqual(['0:pending:s1:false', '20:raised:s1:true', '30:escalated:s1:true', '45:resolved:s1:true'])
    expect(engine.active()).toEqual([])
  })

  it('mutes notifications under a matching silence but keeps the state', () => {
    const engine = new AlertEngine({ rules, silences: [silence({ matchers: { townCode: '441900003', domain: 'traffic' } })] })
    const [pending, raised] = engine.step(T0, city(60, T0, 9))
    expect(raised).toMatchObject({ type: 'raised', ruleId: 'jam', notify: false, mutedBy: ['sil'] })
    expect(pending!.type).toBe('pending')
    expect(engine.active().map(r => [r.key, r.phase])).toEqual([['jam|441900003', 'firing']])
    // After the silence ends, the resolution is notified; the raise is not repeated.
    const out = engine.step(T0 + 61 * MINUTE_MS, city(60, T0 + 61 * MINUTE_MS, 3))
    expect(out.map(t => [t.type, t.notify, t.mutedBy])).toEqual([['resolved', true, []]])
  })

  it('applies a maintenance window only between its start and end, and only to its matchers', () => {
    const maintenance = silence({ id: 'mw', kind: 'maintenance', matchers: { domain: 'traffic' }, startsAt: iso(30), endsAt: iso(90) })
    const engine = new AlertEngine({ rules, silences: [maintenance] })
    expect(engine.step(T0, city(60, T0, 9)).find(t => t.type === 'raised')?.notify).toBe(true)
    engine.step(T0 + 10 * MINUTE_MS, city(60, T0, 3))
    const inside = engine.step(T0 + 40 * MINUTE_MS, city(60, T0, 9)).find(t => t.type === 'raised')
    expect(inside).toMatchObject({ notify: false, mutedBy: ['mw'] })
    engine.setSilences([silence({ matchers: { ruleId: 'aqi-150' } })])
    engine.step(T0 + 50 * MINUTE_MS, city(60, T0, 3))
    expect(engine.step(T0 + 60 * MINUTE_MS, city(60, T0, 9)).find(t => t.type === 'raised')?.notify).toBe(true)
  })

  it('acknowledges by key or alert id, once, and never escalates what was acknowledged', () => {
    const engine = new AlertEngine({ rules })
    for (let m = 0; m <= 20; m += 5)
      engine.step(T0 + m * MINUTE_MS, city(170, T0 + m * MINUTE_MS))
    const alertId = engine.active()[0]!.alertId!
    expect(alertId).toBe(`aqi-150|s1|${T0 + 20 * MINUTE_MS}`)
    const ack = engine.acknowledge(alertId, 'duty-li', T0 + 22 * MINUTE_MS)
    expect(ack).toMatchObject({ type: 'acknowledged', notify: false })
    expect(engine.acknowledge('aqi-150|s1', 'duty-li', T0 + 23 * MINUTE_MS)).toBeNull()
    const later = engine.step(T0 + 40 * MINUTE_MS, city(170, T0 + 40 * MINUTE_MS))
    expect(later).toEqual([])
  })

  it('continues from its serialised state without raising again', () => {
    const first = new AlertEngine({ rules })
    for (let m = 0; m <= 25; m += 5)
      first.step(T0 + m * MINUTE_MS, city(170, T0 + m * MINUTE_MS))
    const saved = JSON.parse(JSON.stringify(first.state())) as ReturnType<AlertEngine['state']>
    const second = new AlertEngine({ rules, state: saved })
    const out = second.step(T0 + 30 * MINUTE_MS, city(170, T0 + 30 * MINUTE_MS))
    expect(out.map(t => t.type)).toEqual(['escalated'])
    expect(second.active().map(r => r.phase)).toEqual(['firing'])
  })

  it('resolves the alerts of a rule that is disabled or removed', () => {
    const engine = new AlertEngine({ rules })
    engine.step(T0, city(60, T0, 9))
    engine.setRules({ ...rules, revision: 2, rules: rules.rules.map(r => r.id === 'jam' ? { ...r, enabled: false } : r) })
    expect(engine.step(T0 + MINUTE_MS, city(60, T0, 9)).map(t => [t.type, t.ruleId])).toEqual([['resolved', 'jam']])
    expect(engine.state().records).toEqual({})
  })

  it('forgets entities whose condition never held', () => {
    const engine = new AlertEngine({ rules })
    engine.step(T0, city(145, T0))
    expect(engine.state().records).toEqual({})
  })
})
