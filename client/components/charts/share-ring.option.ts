import type { ChartOption } from '@client/composables/useEChart'

/** One part of a ring. */
export interface RingPart {
  id: string
  name: string
  value: number
  color: string
}

export interface ShareRingInput {
  parts: readonly RingPart[]
  rem: number
  /** Inner and outer radius as shares of the smaller side: the middle is left for a figure the panel writes in HTML. */
  radius?: [string, string]
}

/**
 * Shares of a whole as a ring (a donut), each part in its own colour,
 * without labels: the panel writes names and figures beside it, in text a
 * wall can read. Parts of 0 take no room. No parts, or all 0: an empty grey ring.
 */
export function buildShareRingOption(input: ShareRingInput): ChartOption {
  const { parts, rem } = input
  const empty = parts.every(p => p.value <= 0)
  return {
    animation: false,
    series: [{
      id: 'ring',
      type: 'pie',
      radius: input.radius ?? ['62%', '88%'],
      center: ['50%', '50%'],
      silent: true,
      label: { show: false },
      labelLine: { show: false },
      padAngle: empty ? 0 : 1.5,
      itemStyle: { borderRadius: 0.15 * rem },
      data: empty
        ? [{ name: '', value: 1, itemStyle: { color: 'rgba(138, 164, 196, 0.2)' } }]
        : parts.filter(p => p.value > 0).map(p => ({ id: p.id, name: p.name, value: p.value, itemStyle: { color: p.color } })),
    }],
  }
}
