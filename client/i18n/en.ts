import type zh from './zh-CN'

const en: typeof zh = {
  app: { title: '{city} City Operations Center', subtitle: 'Ambient air quality, live' },
  connection: { connecting: 'Connecting', live: 'Live', stale: 'Stale data', offline: 'Offline', attempt: 'retry {n}', lastUpdate: 'Last update {time}' },
  air: {
    cityAqi: 'City AQI',
    standard: 'AQI (HJ 633-2012)',
    primary: 'Primary pollutant',
    none: 'None',
    observedAt: 'Observed {time}',
    stations: '{reporting}/{total} stations',
    pollutants: 'City pollutant levels',
    concentration: 'Conc.',
    iaqi: 'IAQI',
    trend: 'City AQI, last hour',
    ranking: 'Stations by AQI',
    distribution: 'Stations by level',
    station: 'Station',
    indicative: 'PM from hourly values',
    aboveScale: 'Above the standard\'s scale',
    noData: 'No data',
    legend: 'AQI level',
  },
  feeds: {
    title: 'Data feeds',
    none: 'No feeds',
    rate: '{n}/s',
    last: 'Last record {time}',
    status: { up: 'Up', degraded: 'Degraded', down: 'Down', stale: 'Stale' },
  },
  lang: { switch: '中文' },
}
export default en
