import { createI18n } from 'vue-i18n'
import * as alarm from './alarm'
import * as alertsConsole from './alerts-console'
import en from './en'
import * as map from './map'
import * as panels from './panels'
import * as scene from './scene'
import zhCN from './zh-CN'

export type Locale = 'zh-CN' | 'en'

const LOCALE_KEY = 'ioc.locale'

/** The language the address asks for (`?lang=en`), which wins over a remembered choice and a wall preset's. */
export function localeFromUrl(search: string | undefined = globalThis.location?.search): Locale | null {
  const asked = new URLSearchParams(search).get('lang')
  return asked === 'en' || asked === 'zh-CN' ? asked : null
}

function initialLocale(): Locale {
  const fromUrl = localeFromUrl()
  if (fromUrl)
    return fromUrl
  const saved = globalThis.localStorage?.getItem(LOCALE_KEY)
  return saved === 'en' ? 'en' : 'zh-CN'
}

/** Chinese first; English for visitors. The choice is remembered per display. */
export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: {
    'zh-CN': { ...zhCN, alertsConsole: alertsConsole.zhCN, map: map.zhCN, panels: panels.zhCN, scene: scene.zhCN, alarm: alarm.zhCN },
    'en': { ...en, alertsConsole: alertsConsole.en, map: map.en, panels: panels.en, scene: scene.en, alarm: alarm.en },
  },
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  globalThis.localStorage?.setItem(LOCALE_KEY, locale)
  document.documentElement.lang = locale
}
