import type { AqiLevel } from '@shared/air/levels'
import { aqiLevel, levelInfo } from '@shared/air/levels'
import type { MetricName } from '@shared/schemas/alert-rules'
import { CONGESTION_GRADE_INFO } from '@shared/traffic/congestion'
import { METRIC_ZH } from './facts'


function round1(v: number): string {
  return String(Math.round(v * 10) / 10)
}

/** A metric and its value as a title says it: "AQI 168（中度污染）", "严重拥堵", "平均等候 42 分钟". */
export function metricPhrase(metric: MetricName, v: number): string {
  switch (metric) {
    case 'aqi':
      return `AQI ${Math.round(v)}（${aqiLevel(v).zh}）`
    case 'aqiLevel':
      return `空气质量${levelInfo(Math.min(6, Math.max(1, Math.round(v))) as AqiLevel).zh}`
    case 'congestionLevel': {
      const info = CONGESTION_GRADE_INFO[Math.min(5, Math.max(1, Math.round(v))) - 1]!
      return info.zh
    }
    case 'avgWaitMin':
    case 'maxWaitMin':
      return `${METRIC_ZH[metric]} ${Math.round(v)} 分钟`
    case 'waiting':
      return `${METRIC_ZH[metric]} ${Math.round(v)} 人`
    case 'waitingPerWindow':
      return `${METRIC_ZH[metric]} ${round1(v)} 人`
    case 'speedKmh':
      return `${METRIC_ZH[metric]} ${Math.round(v)} km/h`
    case 'intake1h':
    case 'openIncidents':
      return `${METRIC_ZH[metric]} ${Math.round(v)} 件`
    case 'pm25':
      return `PM2.5 ${Math.round(v)} µg/m³`
    case 'tpi':
      return `${METRIC_ZH[metric]} ${round1(v)}`
  }
}

export function lasting(forMin: number): string {
  return forMin > 0 ? `持续 ${forMin} 分钟` : ''
}
