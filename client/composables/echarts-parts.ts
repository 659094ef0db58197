/**
 * The parts of ECharts the wall draws with, registered once (performance.md §4:
 * the whole of ECharts is several hundred KB more). Loaded on the first chart's
 * mount, not with the page: the map and the figures paint without waiting for
 * ECharts (~200 KB gzip) to download and compile.
 */
import { BarChart, LineChart, PieChart } from 'echarts/charts'
import { GridComponent, LegendComponent, MarkAreaComponent, MarkLineComponent, TooltipComponent, VisualMapPiecewiseComponent } from 'echarts/components'
import { init, use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'

// Every visualMap of ours is piecewise (AQI levels, congestion grades): the continuous one is left out.
use([LineChart, BarChart, PieChart, GridComponent, LegendComponent, TooltipComponent, VisualMapPiecewiseComponent, MarkLineComponent, MarkAreaComponent, CanvasRenderer])

export { init }
