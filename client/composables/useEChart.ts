import { LineChart } from 'echarts/charts'
import { GridComponent, MarkLineComponent, TooltipComponent, VisualMapComponent } from 'echarts/components'
import type { ComposeOption, EChartsType } from 'echarts/core'
import { init, use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import type { LineSeriesOption } from 'echarts/charts'
import type { GridComponentOption, MarkLineComponentOption, TooltipComponentOption, VisualMapComponentOption } from 'echarts/components'
import type { Ref } from 'vue'
import { onBeforeUnmount, onMounted, watch } from 'vue'

use([LineChart, GridComponent, TooltipComponent, VisualMapComponent, MarkLineComponent, CanvasRenderer])

export type ChartOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | VisualMapComponentOption | MarkLineComponentOption>

/**
 * One ECharts instance bound to an element for the component's life: created
 * on mount, resized with its container, disposed on unmount. The option is
 * re-applied whenever it changes.
 */
export function useEChart(el: Ref<HTMLElement | null>, option: Ref<ChartOption>): void {
  let chart: EChartsType | undefined
  let observer: ResizeObserver | undefined

  onMounted(() => {
    if (!el.value)
      return
    chart = init(el.value, undefined, { renderer: 'canvas' })
    chart.setOption(option.value)
    observer = new ResizeObserver(() => chart?.resize())
    observer.observe(el.value)
  })

  watch(option, value => chart?.setOption(value, { notMerge: false, lazyUpdate: true }))

  onBeforeUnmount(() => {
    observer?.disconnect()
    chart?.dispose()
    chart = undefined
  })
}
