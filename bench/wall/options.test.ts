import { describe, expect, it } from 'vitest'
import { strategyQuery, wallOptions, wallSections } from './options'

describe('wall benchmark options', () => {
  it('runs every wall section unless BENCH_SECTIONS names some of them', () => {
    expect(wallSections({})).toEqual(['size', 'ticks', 'soak'])
    expect(wallSections({ BENCH_SECTIONS: 'feeds,wall' })).toEqual(['size', 'ticks', 'soak'])
    expect(wallSections({ BENCH_SECTIONS: 'wall.soak,size' })).toEqual(['size', 'soak'])
  })

  it('takes a profile and overrides from the environment, and refuses nonsense', () => {
    const smoke = wallOptions({}, 'smoke')
    const full = wallOptions({ BENCH_SOAK_MIN: '15' }, 'full')
    // Both play an hour after a half-hour warm-up.
    expect(smoke.soakMin * smoke.soakSpeed).toBe(90)
    expect(full.soakMin).toBe(15)
    expect(wallOptions({}, 'full').soakMin * full.soakSpeed).toBe(90)
    expect(wallOptions({ BENCH_CHURN_DWELL_S: '0' }, 'full').churnDwellS).toBe(0)
    expect(full.segments).toBe(5000)
    expect(() => wallOptions({ BENCH_TICK_S: 'soon' }, 'smoke')).toThrow(/BENCH_TICK_S/)
    expect(() => wallOptions({ BENCH_STRATEGIES: 'default,webgpu' }, 'smoke')).toThrow(/webgpu/)
  })

  it('holds the scene still and switches the naive strategy on by the query', () => {
    expect(strategyQuery('default', 'traffic')).toBe('?scene=traffic&rotate=0')
    expect(strategyQuery('setData', 'traffic')).toBe('?scene=traffic&rotate=0&mapUpdate=setData')
  })
})
