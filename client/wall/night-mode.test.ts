import { describe, expect, it } from 'vitest'
import { inNightHours, minuteOfDay, nightOn } from './night-mode'

/** An instant at hh:mm Beijing time on 2026-11-23 (UTC+8, no daylight saving). */
const beijing = (hhmm: string): number => Date.parse(`2026-11-23T${hhmm}:00+08:00`)
const NIGHT = { from: '19:00', to: '07:00' }

describe('night mode', () => {
  it('reads the time of day on the city\'s clock, not the machine\'s', () => {
    expect(minuteOfDay(beijing('00:00'))).toBe(0)
    expect(minuteOfDay(beijing('19:30'))).toBe(19 * 60 + 30)
    expect(minuteOfDay(Date.parse('2026-11-23T11:00:00Z'))).toBe(19 * 60)
    expect(minuteOfDay(Date.parse('2026-11-23T11:00:00Z'), 'Europe/London')).toBe(11 * 60)
  })

  it('spans midnight: on from 19:00, off from 07:00', () => {
    expect(inNightHours(NIGHT, beijing('18:59'))).toBe(false)
    expect(inNightHours(NIGHT, beijing('19:00'))).toBe(true)
    expect(inNightHours(NIGHT, beijing('23:59'))).toBe(true)
    expect(inNightHours(NIGHT, beijing('03:00'))).toBe(true)
    expect(inNightHours(NIGHT, beijing('06:59'))).toBe(true)
    expect(inNightHours(NIGHT, beijing('07:00'))).toBe(false)
    expect(inNightHours(NIGHT, beijing('12:00'))).toBe(false)
  })

  it('takes hours within one day too', () => {
    const siesta = { from: '12:00', to: '14:30' }
    expect(inNightHours(siesta, beijing('11:59'))).toBe(false)
    expect(inNightHours(siesta, beijing('12:00'))).toBe(true)
    expect(inNightHours(siesta, beijing('14:29'))).toBe(true)
    expect(inNightHours(siesta, beijing('14:30'))).toBe(false)
    expect(inNightHours(siesta, beijing('23:00'))).toBe(false)
  })

  it('follows the preset\'s mode, and an operator\'s choice over it', () => {
    expect(nightOn('auto', NIGHT, beijing('22:00'))).toBe(true)
    expect(nightOn('auto', NIGHT, beijing('10:00'))).toBe(false)
    expect(nightOn('on', NIGHT, beijing('10:00'))).toBe(true)
    expect(nightOn('off', NIGHT, beijing('22:00'))).toBe(false)
    expect(nightOn('auto', NIGHT, beijing('22:00'), false)).toBe(false)
    expect(nightOn('off', NIGHT, beijing('10:00'), true)).toBe(true)
  })
})
