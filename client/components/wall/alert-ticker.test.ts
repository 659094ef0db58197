import { describe, expect, it } from 'vitest'
import { AlertSeverity } from '@shared/schemas/alerts'
import { SEVERITY_LOOK, TICKER_REM_PER_S, tickerSeconds } from './alert-ticker'

describe(tickerSeconds.name, () => {
  it('stands still when the alerts fit the strip', () => {
    expect(tickerSeconds(800, 800, 16)).toBeNull()
    expect(tickerSeconds(300, 800, 16)).toBeNull()
  })

  it('takes as long as the content is wide at the ticker\'s pace, the same at 1080p and 4K', () => {
    const at1080 = tickerSeconds(16 * 60, 16 * 40, 16)
    expect(at1080).toBe(60 / TICKER_REM_PER_S)
    expect(tickerSeconds(32 * 60, 32 * 40, 32)).toBe(at1080)
  })
})

describe('SEVERITY_LOOK', () => {
  it('gives every severity its own shape as well as its own colour (colour is never the only sign)', () => {
    const looks = AlertSeverity.options.map(s => SEVERITY_LOOK[s])
    expect(new Set(looks.map(l => l.icon)).size).toBe(AlertSeverity.options.length)
    expect(new Set(looks.map(l => l.color)).size).toBe(AlertSeverity.options.length)
  })
})
