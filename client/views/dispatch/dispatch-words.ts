import { computed } from 'vue'
import { useI18n } from 'vue-i18n'
import type { IncidentNature, IncidentTopic } from '@shared/schemas/incident-kinds'
import type { Satisfaction, WorkOrderState } from '@shared/schemas/work-orders'
import { useCityStore } from '@client/stores/city'

export { formatStamp } from '@client/views/alerts/alert-words'

/** The words the dispatch screens share: departments and towns from the city model, states, actions and scales in the current language. */
export function useDispatchWords() {
  const i18n = useI18n()
  const { t, locale } = i18n
  const city = useCityStore()
  const en = computed(() => locale.value === 'en')
  const departments = computed(() => city.model?.departments ?? [])
  const towns = computed(() => city.model?.towns ?? [])
  const departmentNames = computed(() => new Map(departments.value.map(d => [d.id, en.value ? d.nameEn : d.name])))
  const townNames = computed(() => new Map(towns.value.map(town => [town.code, en.value ? town.pinyin : town.name])))
  return {
    departments,
    towns,
    departmentName: (id: string): string => departmentNames.value.get(id) ?? id,
    townName: (code: string | null): string => code === null ? t('dispatch.list.cityWide') : townNames.value.get(code) ?? code,
    stateName: (state: WorkOrderState): string => t(`dispatch.state.${state}`),
    /** Timeline actions include the system's; an unknown one is shown as it is. */
    actionName: (action: string): string => i18n.te(`dispatch.action.${action}`) ? t(`dispatch.action.${action}`) : action,
    topicName: (topic: IncidentTopic): string => t(`incidents.topic.${topic}`),
    natureName: (nature: IncidentNature): string => t(`incidents.nature.${nature}`),
    satisfactionName: (s: Satisfaction): string => t(`dispatch.satisfaction.${s}`),
    supervisionName: (level: number): string => t(`dispatch.supervision.${level}`),
  }
}
