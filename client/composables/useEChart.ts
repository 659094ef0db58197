import type { BarSeriesOption, LineSeriesOption, PieSeriesOption } from 'echarts/charts'
import type { GridComponentOption, LegendComponentOption, MarkAreaComponentOption, MarkLineComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components'
import type { ComposeOption, EChartsType } from 'echarts/core'
import type { Ref } from 'vue'
import type * as EChartsParts from './echarts-parts'
import { onBeforeUnmount, onMounted, watch } from 'vue'

let parts: Promise<typeof EChartsParts> | undefined
/** ECharts, fetched once by the first chart that mounts. */
const loadECharts = (): Promise<typeof EChartsParts> => (parts ??= import('./echarts-parts'))

export type ChartOption = ComposeOption<
  LineSeriesOption | BarSeriesOption | PieSeriesOption
  | GridComponentOption | LegendComponentOption | TooltipComponentOption | VisualMapComponentOption | MarkLineComponentOption | MarkAreaComponentOption
>

/**
 * One ECharts instance bound to an element for the component's life: created
 * on mount (once ECharts has loaded), resized with its container, disposed on
 * unmount. The option is re-applied whenever it changes.
 */
export function useEChart(el: Ref<HTMLElement | null>, option: Ref<ChartOption>): void {
  let chart: EChartsType | undefined
  let observer: ResizeObserver | undefined
  let unmounted = false

  onMounted(async () => {
    const { init } = await loadECharts()
    if (unmounted || !el.value)
      return
    chart = init(el.value, undefined, { renderer: 'canvas' })
    chart.setOption(option.value)
    observer = new ResizeObserver(() => chart?.resize())
    observer.observe(el.value)
  })

  watch(option, value => chart?.setOption(value, { notMerge: false, lazyUpdate: true }))

  onBeforeUnmount(() => {
    unmounted = true
    observer?.disconnect()
    chart?.dispose()
    chart = undefined
  })
}
