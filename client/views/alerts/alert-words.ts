import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { AlertDomain, AlertSeverity, AlertStatus } from '@shared/schemas/alerts'
import { CITY_TIME_ZONE } from '@client/format'
import { useCityStore } from '@client/stores/city'

const stampFormat = new Intl.DateTimeFormat('zh-CN', { month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: CITY_TIME_ZONE })

/** MM/DD hh:mm:ss in the city's time zone: the console's alerts are of the last days, the year says nothing. */
export function formatStamp(at: string | number): string {
  return stampFormat.format(typeof at === 'string' ? Date.parse(at) : at)
}

/** The words the console's parts share: town names from the city model, severities, statuses and domains in the current language. */
export function useAlertWords() {
  const { t, locale } = useI18n()
  const city = useCityStore()
  const towns = computed(() => city.model?.towns ?? [])
  const townNames = computed(() => new Map(towns.value.map(town => [town.code, locale.value === 'en' ? town.pinyin : town.name])))
  return {
    towns,
    townName: (code: string | null): string => code === null ? t('alertsConsole.list.cityWide') : townNames.value.get(code) ?? code,
    severityName: (severity: AlertSeverity): string => t(`panels.ticker.severity.${severity}`),
    statusName: (status: AlertStatus): string => t(`alertsConsole.status.${status}`),
    domainName: (domain: AlertDomain): string => t(`alertsConsole.domains.${domain}`),
  }
}
