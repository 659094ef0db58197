import { describe, expect, it } from 'vitest'
import type { Alert } from '@shared/schemas/alerts'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import { TakeoverWatch } from './takeover'

const S = 1000
const T0 = Date.parse('2026-11-23T12:00:00.000Z')
const TIMEOUT = { enabled: true, timeoutMs: 300 * S }

const alert = (id: string, patch: Partial<Alert> = {}): Alert => alertFixture({
  id,
  ruleId: 'rain.waterlogging',
  severity: 'critical',
  status: 'firing',
  title: `内涝 ${id}`,
  townCode: '441900003',
  raisedAt: '2026-11-23T12:00:00.000Z',
  updatedAt: '2026-11-23T12:00:00.000Z',
  ...patch,
})

/** A watch that has had its first snapshot (with these alerts in it). */
const opened = (first: Alert[] = [], settings = TIMEOUT): TakeoverWatch => {
  const watch = new TakeoverWatch(settings)
  watch.observe(first, T0)
  return watch
}

describe('critical alert takeover', () => {
  it('leaves the first snapshot\'s alerts alone: only those raised after the wall opened take over', () => {
    const watch = opened([alert('old')])
    expect(watch.current(T0)).toBeNull()
    watch.observe([alert('old'), alert('new', { raisedAt: '2026-11-23T12:01:00.000Z' })], T0 + 60 * S)
    expect(watch.current(T0 + 60 * S)).toEqual({ alert: alert('new', { raisedAt: '2026-11-23T12:01:00.000Z' }), since: T0 + 60 * S, endsAt: T0 + 360 * S })
  })

  it('waits for the first snapshot: nothing takes over before it', () => {
    const watch = new TakeoverWatch(TIMEOUT)
    expect(watch.current(T0)).toBeNull()
    watch.observe([alert('a')], T0)
    expect(watch.current(T0 + S)).toBeNull()
  })

  it('takes over for critical alerts only, firing ones only', () => {
    const watch = opened()
    watch.observe([alert('major', { severity: 'major' }), alert('acked', { status: 'acknowledged' }), alert('warn', { severity: 'warning' })], T0 + S)
    expect(watch.current(T0 + S)).toBeNull()
  })

  it('ends when the alert is acknowledged or resolved', () => {
    const watch = opened()
    watch.observe([alert('a')], T0 + S)
    expect(watch.current(T0 + 2 * S)?.alert.id).toBe('a')
    watch.observe([alert('a', { status: 'acknowledged' })], T0 + 3 * S)
    expect(watch.current(T0 + 3 * S)).toBeNull()

    watch.observe([alert('b')], T0 + 4 * S)
    expect(watch.current(T0 + 4 * S)?.alert.id).toBe('b')
    // Resolved alerts leave the stream.
    watch.observe([], T0 + 5 * S)
    expect(watch.current(T0 + 5 * S)).toBeNull()
  })

  it('ends when its timeout has passed since the wall saw it, and does not come back', () => {
    const watch = opened()
    watch.observe([alert('a')], T0 + 10 * S)
    expect(watch.current(T0 + 309 * S)?.alert.id).toBe('a')
    expect(watch.current(T0 + 310 * S)).toBeNull()
    watch.observe([alert('a', { title: '内涝 a（更新）', updatedAt: '2026-11-23T12:06:00.000Z' })], T0 + 400 * S)
    expect(watch.current(T0 + 400 * S)).toBeNull()
  })

  it('shows the newest of several critical alerts, and the one before when it ends', () => {
    const watch = opened()
    const first = alert('first', { raisedAt: '2026-11-23T12:01:00.000Z' })
    // Raised later, with another offset: compared as times.
    const second = alert('second', { raisedAt: '2026-11-23T20:02:00.000+08:00' })
    watch.observe([first], T0 + 60 * S)
    watch.observe([second, first], T0 + 120 * S)
    expect(watch.current(T0 + 120 * S)?.alert.id).toBe('second')
    watch.observe([alert('second', { raisedAt: second.raisedAt, status: 'acknowledged' }), first], T0 + 130 * S)
    expect(watch.current(T0 + 130 * S)).toMatchObject({ alert: { id: 'first' }, since: T0 + 60 * S })
    // The first times out on its own clock.
    expect(watch.current(T0 + 360 * S)).toBeNull()
  })

  it('counts an alert that becomes critical after the wall opened as raised then', () => {
    const watch = opened([alert('x', { severity: 'major' })])
    watch.observe([alert('x', { severity: 'critical' })], T0 + 30 * S)
    expect(watch.current(T0 + 30 * S)).toMatchObject({ alert: { id: 'x' }, since: T0 + 30 * S })
  })

  it('takes nothing over when the preset turns the takeover off, and follows a change of the timeout', () => {
    const watch = opened([], { enabled: false, timeoutMs: 300 * S })
    watch.observe([alert('a')], T0 + S)
    expect(watch.current(T0 + S)).toBeNull()
    watch.configure({ enabled: true, timeoutMs: 60 * S })
    expect(watch.current(T0 + 2 * S)).toMatchObject({ alert: { id: 'a' }, endsAt: T0 + 61 * S })
    expect(watch.current(T0 + 61 * S)).toBeNull()
  })
})
