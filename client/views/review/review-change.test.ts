import { describe, expect, it } from 'vitest'
import { changeView, figure, percent, signed } from './review-change'

describe(changeView.name, () => {
  it('calls a higher AQI worse and a higher 优良天数比例 better, each with its arrow', () => {
    expect(changeView({ value: 62, previous: 50 }, 'lower-better')).toEqual({ arrow: '▲', tone: 'worse', delta: 12, ratio: 0.24 })
    expect(changeView({ value: 0.9, previous: 0.8 }, 'higher-better')).toMatchObject({ arrow: '▲', tone: 'better' })
    expect(changeView({ value: 40, previous: 50 }, 'lower-better')).toMatchObject({ arrow: '▼', tone: 'better', delta: -10 })
  })

  it('gives demand counts an arrow but no judgement', () => {
    expect(changeView({ value: 120, previous: 100 }, 'neutral')).toMatchObject({ arrow: '▲', tone: 'neutral' })
  })

  it('says unchanged for equal values, and nothing when either side is missing', () => {
    expect(changeView({ value: 3, previous: 3 }, 'lower-better')).toMatchObject({ arrow: '＝', tone: 'neutral', delta: 0 })
    expect(changeView({ value: 3, previous: null }, 'lower-better')).toEqual({ arrow: '', tone: 'neutral', delta: null, ratio: null })
    // A base of 0 has a change but no ratio.
    expect(changeView({ value: 4, previous: 0 }, 'lower-better')).toMatchObject({ delta: 4, ratio: null, tone: 'worse' })
  })
})

describe('figures', () => {
  it('writes signs, decimals and "—"', () => {
    expect(signed(3.24, 1)).toBe('+3.2')
    expect(signed(-1, 1)).toBe('−1.0')
    expect(signed(-0.01, 1)).toBe('0.0')
    expect(figure(null, 1)).toBe('—')
    expect(figure(5.25, 1)).toBe('5.3')
    expect(percent(0.8571)).toBe('85.7%')
    expect(percent(null)).toBe('—')
  })
})
