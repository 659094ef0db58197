import type { IndicatorKey, Pollutant } from '../schemas/air'

/** How each rated pollutant is written, and which indicator shows its concentration. */
export const POLLUTANT_INFO: Record<Pollutant, { label: string, zh: string, indicator: IndicatorKey, unit: 'µg/m³' | 'mg/m³' }> = {
  pm25: { label: 'PM₂.₅', zh: '细颗粒物', indicator: 'pm25_24h', unit: 'µg/m³' },
  pm10: { label: 'PM₁₀', zh: '可吸入颗粒物', indicator: 'pm10_24h', unit: 'µg/m³' },
  o3_1h: { label: 'O₃', zh: '臭氧(1小时)', indicator: 'o3', unit: 'µg/m³' },
  o3_8h: { label: 'O₃-8h', zh: '臭氧(8小时)', indicator: 'o3_8h', unit: 'µg/m³' },
  no2: { label: 'NO₂', zh: '二氧化氮', indicator: 'no2', unit: 'µg/m³' },
  so2: { label: 'SO₂', zh: '二氧化硫', indicator: 'so2', unit: 'µg/m³' },
  co: { label: 'CO', zh: '一氧化碳', indicator: 'co', unit: 'mg/m³' },
}

/**
 * The hourly indicators the history keeps per station: the real-time
 * report's 1h values and the 8h O3. The daily report's 24-hour means, its
 * maximum 1h O3 and maximum 8h O3 are made of them (shared/air/daily.ts).
 */
export const HOURLY_INDICATORS = ['so2', 'no2', 'co', 'o3', 'o3_8h', 'pm25', 'pm10'] as const satisfies readonly IndicatorKey[]
export type HourlyIndicator = (typeof HOURLY_INDICATORS)[number]
