import { describe, expect, it } from 'vitest'
import type { Alert } from '@shared/schemas/alerts'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import type { ChimeKind } from './alarm'
import { ALARM_REPEAT_MS, AlarmWatch, alarmEnabledFrom, alarmRepeatMsFrom, isAlarmKey } from './alarm'

const S = 1000
const T0 = 1_000_000
const REPEAT = 30 * S

const critical = (id: string, patch: Partial<Alert> = {}): Alert => alertFixture({ id, severity: 'critical', ...patch })
const major = (id: string, patch: Partial<Alert> = {}): Alert => alertFixture({ id, severity: 'major', ...patch })

/** Steps the watch once a second (as the wall's clock does) from `from` to `to`, and lists when it chimed what. */
function run(w: AlarmWatch, from: number, to: number, audible = true): Array<[number, ChimeKind]> {
  const out: Array<[number, ChimeKind]> = []
  for (let t = from; t <= to; t += S) {
    const kind = w.step(t, audible)
    if (kind)
      out.push([t - from, kind])
  }
  return out
}

describe('the wall alarm', () => {
  it('stays quiet until the first snapshot came, then on a calm one', () => {
    const w = new AlarmWatch(REPEAT)
    expect(w.step(T0, true)).toBeNull()
    w.observe([alertFixture({ id: 'w1' }), alertFixture({ id: 'i1', severity: 'info' })])
    expect(run(w, T0, T0 + 120 * S)).toEqual([])
  })

  it('sounds a new critical alert at once and every 30 s until it is acknowledged', () => {
    const w = new AlarmWatch(REPEAT)
    w.observe([])
    w.step(T0, true)
    w.observe([critical('c1')])
    expect(run(w, T0 + S, T0 + 95 * S)).toEqual([[0, 'critical'], [30 * S, 'critical'], [60 * S, 'critical'], [90 * S, 'critical']])
    w.observe([critical('c1', { status: 'acknowledged', acknowledgedBy: 'duty' })])
    expect(run(w, T0 + 96 * S, T0 + 300 * S)).toEqual([])
  })

  it('stops when the alert resolves (leaves the stream) or a silence mutes it', () => {
    const w = new AlarmWatch(REPEAT)
    w.observe([])
    w.observe([critical('c1'), critical('c2')])
    expect(w.step(T0, true)).toBe('critical')
    w.observe([critical('c2', { muted: true })])
    expect(run(w, T0 + S, T0 + 120 * S)).toEqual([])
  })

  it('never sounds a critical alert that came muted; sounds it at once when the silence ends', () => {
    const w = new AlarmWatch(REPEAT)
    w.observe([])
    w.observe([critical('c1', { muted: true })])
    expect(run(w, T0, T0 + 60 * S)).toEqual([])
    w.observe([critical('c1')])
    expect(w.step(T0 + 61 * S, true)).toBe('critical')
  })

  it('sounds the unacknowledged critical alerts of the first snapshot (a reloaded wall), not acknowledged or muted ones', () => {
    const w = new AlarmWatch(REPEAT)
    w.observe([critical('old'), critical('acked', { status: 'acknowledged' }), critical('quiet', { muted: true })])
    expect(run(w, T0, T0 + 31 * S)).toEqual([[0, 'critical'], [30 * S, 'critical']])

    const calm = new AlarmWatch(REPEAT)
    calm.observe([critical('acked', { status: 'acknowledged' }), critical('quiet', { muted: true })])
    expect(run(calm, T0, T0 + 60 * S)).toEqual([])
  })

  it('shares one alarm among several critical alerts: a new one sounds at once and restarts the pace', () => {
    const w = new AlarmWatch(REPEAT)
    w.observe([critical('c1')])
    expect(w.step(T0, true)).toBe('critical')
    expect(w.step(T0 + 10 * S, true)).toBeNull()
    w.observe([critical('c1'), critical('c2')])
    expect(w.step(T0 + 12 * S, true)).toBe('critical')
    expect(run(w, T0 + 13 * S, T0 + 42 * S)).toEqual([[29 * S, 'critical']])
  })

  it('chimes a new major alert once, never again; majors of the first snapshot never', () => {
    const w = new AlarmWatch(REPEAT)
    w.observe([major('known')])
    expect(run(w, T0, T0 + 10 * S)).toEqual([])
    w.observe([major('known'), major('m1')])
    expect(run(w, T0 + 11 * S, T0 + 200 * S)).toEqual([[0, 'major']])
    // Two new at once: one chime.
    w.observe([major('known'), major('m1'), major('m2'), major('m3')])
    expect(run(w, T0 + 201 * S, T0 + 260 * S)).toEqual([[0, 'major']])
  })

  it('does not chime a major that is muted or already acknowledged, and leaves it to the critical alarm when one sounds', () => {
    const w = new AlarmWatch(REPEAT)
    w.observe([])
    w.observe([major('m1', { muted: true }), major('m2', { status: 'acknowledged' })])
    expect(run(w, T0, T0 + 10 * S)).toEqual([])
    w.observe([critical('c1'), major('m3')])
    expect(run(w, T0 + 11 * S, T0 + 20 * S)).toEqual([[0, 'critical']])
  })

  it('sounds nothing while not audible; owed critical alerts sound the moment it is, majors seen meanwhile do not', () => {
    const w = new AlarmWatch(REPEAT)
    w.observe([])
    w.observe([critical('c1'), major('m1')])
    expect(run(w, T0, T0 + 60 * S, false)).toEqual([])
    expect(w.step(T0 + 61 * S, true)).toBe('critical')
    w.observe([critical('c1', { status: 'acknowledged' }), major('m1')])
    expect(run(w, T0 + 62 * S, T0 + 200 * S)).toEqual([])
  })

  it('mute mid-alarm then unmute: sounds again at once, then on its pace', () => {
    const w = new AlarmWatch(REPEAT)
    w.observe([critical('c1')])
    expect(w.step(T0, true)).toBe('critical')
    expect(run(w, T0 + S, T0 + 50 * S, false)).toEqual([])
    expect(run(w, T0 + 51 * S, T0 + 82 * S)).toEqual([[0, 'critical'], [30 * S, 'critical']])
  })

  it('forgets alerts that left the stream: a major raised again with the same id chimes again', () => {
    const w = new AlarmWatch(REPEAT)
    w.observe([])
    w.observe([major('m1')])
    expect(w.step(T0, true)).toBe('major')
    w.observe([])
    expect(w.step(T0 + S, true)).toBeNull()
    w.observe([major('m1')])
    expect(w.step(T0 + 2 * S, true)).toBe('major')
  })
})

describe('the alarm settings', () => {
  it('reads the repeat interval from the address, within reason', () => {
    expect(alarmRepeatMsFrom(new URLSearchParams(''))).toBe(ALARM_REPEAT_MS)
    expect(alarmRepeatMsFrom(new URLSearchParams('alarmRepeatS=3'))).toBe(3 * S)
    expect(alarmRepeatMsFrom(new URLSearchParams('alarmRepeatS=0.1'))).toBe(S)
    expect(alarmRepeatMsFrom(new URLSearchParams('alarmRepeatS=-4'))).toBe(ALARM_REPEAT_MS)
    expect(alarmRepeatMsFrom(new URLSearchParams('alarmRepeatS=loud'))).toBe(ALARM_REPEAT_MS)
  })

  it('is on unless this browser chose off', () => {
    expect(alarmEnabledFrom(null)).toBe(true)
    expect(alarmEnabledFrom('on')).toBe(true)
    expect(alarmEnabledFrom('off')).toBe(false)
  })

  it('toggles on M, not while typing nor with a modifier', () => {
    const key = (k: string, more: Partial<Parameters<typeof isAlarmKey>[0]> = {}): boolean =>
      isAlarmKey({ key: k, ctrlKey: false, altKey: false, metaKey: false, target: { tagName: 'BODY' }, ...more })
    expect(key('m')).toBe(true)
    expect(key('M')).toBe(true)
    expect(key('n')).toBe(false)
    expect(key('m', { ctrlKey: true })).toBe(false)
    expect(key('m', { target: { tagName: 'input' } })).toBe(false)
    expect(key('m', { target: { tagName: 'DIV', isContentEditable: true } })).toBe(false)
  })
})
