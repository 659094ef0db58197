import { describe, expect, it } from 'vitest'
import { buildDrillStepsOption } from './drill-steps.option'

describe(buildDrillStepsOption.name, () => {
  it('draws one bar per step at its median, with the figure and count, and "—" where nothing finished', () => {
    const option = buildDrillStepsOption({
      steps: [
        { step: 'call_to_dispatch', stats: { count: 2, medianMin: 20, maxMin: 30 } },
        { step: 'dispatch_to_sign', stats: { count: 0, medianMin: null, maxMin: null } },
      ],
      names: ['受理→派单', '派单→签收'],
      rem: 16,
    }) as { yAxis: { data: string[] }, series: { data: { value: number | null, label: { formatter: string } }[] }[] }
    expect(option.yAxis.data).toEqual(['受理→派单', '派单→签收'])
    expect(option.series[0]!.data.map(d => [d.value, d.label.formatter])).toEqual([[20, '20（2）'], [null, '—']])
  })
})
