import type { CityModel } from '@shared/schemas/city'
import type { ReviewScope } from '@shared/schemas/review'
import { departmentLabel } from '@client/components/panels/incidents/incident-figures'

/**
 * Names of what the review counts, from the city model the client already
 * holds (the payload carries ids and codes only): towns, halls and
 * departments in the language shown; the id itself when the model lacks it.
 */
export interface ReviewNames {
  town: (code: string | null) => string
  hall: (id: string) => string
  department: (id: string) => string
}

export function reviewNames(model: CityModel | null, locale: string, unknownTown: string): ReviewNames {
  const towns = new Map((model?.towns ?? []).map(t => [t.code, locale === 'en' ? t.pinyin : t.name]))
  // Halls have Chinese names only: a town hall is its town's (in English, the town's pinyin).
  const halls = new Map((model?.halls ?? []).map(h => [h.id, h.name]))
  const departments = new Map((model?.departments ?? []).map(d => [d.id, d]))
  return {
    town: code => (code === null ? unknownTown : towns.get(code) ?? code),
    hall: id => halls.get(id) ?? id,
    department: (id) => {
      const d = departments.get(id)
      return d && model ? departmentLabel(d, locale, model) : id
    },
  }
}

/**
 * The page's title: the server's Chinese name, or in English the city
 * model's (the town's pinyin, the department's English name).
 */
export function scopeTitle(scope: ReviewScope, serverName: string, model: CityModel | null, locale: string): string {
  if (locale !== 'en' || !model)
    return serverName
  if (scope === 'city')
    return model.nameEn
  const [kind, id] = [scope.slice(0, scope.indexOf(':')), scope.slice(scope.indexOf(':') + 1)]
  if (kind === 'town')
    return model.towns.find(t => t.code === id)?.pinyin ?? serverName
  return model.departments.find(d => d.id === id)?.nameEn ?? serverName
}
