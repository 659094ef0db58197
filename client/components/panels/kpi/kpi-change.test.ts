import { describe, expect, it } from 'vitest'
import { kpiChange } from './kpi-change'

describe(kpiChange.name, () => {
  it('gives arrow, signed amount and tone: higher is worse for AQI, better for 好评率', () => {
    expect(kpiChange(80, 60, 'lower', 0)).toEqual({ arrow: '▲', text: '+20', tone: 'worse' })
    expect(kpiChange(3.2, 4.0, 'lower', 1)).toEqual({ arrow: '▼', text: '−0.8', tone: 'better' })
    expect(kpiChange(0.95, 0.9, 'higher', 1, 100)).toEqual({ arrow: '▲', text: '+5.0', tone: 'better' })
    expect(kpiChange(120, 100, 'neither', 0)).toEqual({ arrow: '▲', text: '+20', tone: 'neutral' })
  })

  it('calls a change that rounds to nothing no change', () => {
    expect(kpiChange(3.24, 3.21, 'lower', 1)).toEqual({ arrow: '＝', text: '0.0', tone: 'neutral' })
  })

  it('makes up no comparison when either figure is unknown', () => {
    expect(kpiChange(null, 3, 'lower', 0)).toBeNull()
    expect(kpiChange(3, null, 'lower', 0)).toBeNull()
  })
})
