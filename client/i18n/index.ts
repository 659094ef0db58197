import { createI18n } from 'vue-i18n'
import en from './en'
import zhCN from './zh-CN'

export type Locale = 'zh-CN' | 'en'

const LOCALE_KEY = 'ioc.locale'

function initialLocale(): Locale {
  const saved = globalThis.localStorage?.getItem(LOCALE_KEY)
  if (saved === 'en' || saved === 'zh-CN')
    return saved
  const fromUrl = new URLSearchParams(globalThis.location?.search).get('lang')
  return fromUrl === 'en' ? 'en' : 'zh-CN'
}

/** Chinese first; English for visitors. The choice is remembered per display. */
export const i18n = createI18n({
  legacy: false,
  locale: initialLocale(),
  fallbackLocale: 'zh-CN',
  messages: { 'zh-CN': zhCN, 'en': en },
})

export function setLocale(locale: Locale): void {
  i18n.global.locale.value = locale
  globalThis.localStorage?.setItem(LOCALE_KEY, locale)
  document.documentElement.lang = locale
}
