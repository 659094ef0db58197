import { computed } from 'vue'
import type { ComputedRef } from 'vue'
import { useI18n } from 'vue-i18n'
import { useRouter } from 'vue-router'
import { setLocale } from '@client/i18n'
import { useSessionStore } from '@client/stores/session'

export interface DeskSession {
  /** The signed-in person, for the header; null for a wall's display token. */
  who: ComputedRef<{ name: string, username: string } | null>
  toggleLocale: () => void
  signOut: () => Promise<void>
}

/** What every desk screen's header offers (the administration, the alert console): who is signed in, 中文 / English, sign out. */
export function useDeskSession(): DeskSession {
  const { locale } = useI18n()
  const router = useRouter()
  const session = useSessionStore()
  return {
    who: computed(() => {
      const principal = session.info?.principal
      return principal?.kind === 'user' ? { name: principal.displayName, username: principal.username } : null
    }),
    toggleLocale: () => setLocale(locale.value === 'en' ? 'zh-CN' : 'en'),
    signOut: async () => {
      // The router's guard ends the live connection on the way to the login page.
      await session.logout()
      await router.replace({ name: 'login' })
    },
  }
}
