import { describe, expect, it } from 'vitest'
import { defaultWindow, fromCityInput, share, toCityInput, windowProblem } from './replay-window'

describe('replay window', () => {
  it('offers the last whole hour of minutes', () => {
    const now = Date.parse('2026-12-04T04:47:31.200Z')
    expect(defaultWindow(now)).toEqual({ from: Date.parse('2026-12-04T03:47:00.000Z'), to: Date.parse('2026-12-04T04:47:00.000Z') })
  })

  it('reads and writes the inputs in Beijing time', () => {
    const t = Date.parse('2026-12-03T16:30:00.000Z')
    expect(toCityInput(t)).toBe('2026-12-04T00:30')
    expect(fromCityInput('2026-12-04T00:30')).toBe(t)
    expect(fromCityInput('tomorrow')).toBeNull()
  })

  it('says what is wrong with a window', () => {
    const h = 3_600_000
    expect(windowProblem(0, h)).toBeNull()
    expect(windowProblem(h, h)).toBe('order')
    expect(windowProblem(0, 3 * h + 60_000)).toBe('span')
    expect(windowProblem(null, h)).toBe('invalid')
    expect(share(15, 10, 20)).toBe(0.5)
  })
})
