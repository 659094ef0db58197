import { describe, expect, it } from 'vitest'
import { buildShareRingOption } from './share-ring.option'

describe(buildShareRingOption.name, () => {
  it('draws each part with a value in its colour, without labels (the panel writes them in text)', () => {
    const option = buildShareRingOption({
      parts: [{ id: 'a', name: '按时', value: 9, color: '#4cc3ff' }, { id: 'b', name: '超时', value: 0, color: '#ff9f1a' }, { id: 'c', name: '其他', value: 3, color: '#fff' }],
      rem: 16,
    })
    expect(option.series).toMatchObject([{ type: 'pie', label: { show: false }, data: [{ id: 'a', value: 9, itemStyle: { color: '#4cc3ff' } }, { id: 'c', value: 3 }] }])
    expect((option.series as { data: unknown[] }[])[0]?.data).toHaveLength(2)
  })

  it('draws an empty grey ring when there is nothing to share, never a made-up part', () => {
    const option = buildShareRingOption({ parts: [{ id: 'a', name: 'a', value: 0, color: '#4cc3ff' }], rem: 16 })
    expect(option.series).toMatchObject([{ data: [{ name: '', value: 1 }] }])
    expect(buildShareRingOption({ parts: [], rem: 16 }).series).toMatchObject([{ data: [{ name: '', value: 1 }] }])
  })
})
