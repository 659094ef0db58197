import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, shallowRef } from 'vue'
import type { FeedHealth } from '@shared/schemas/feeds'
import type { FeedHealthEventData } from '@shared/realtime/streams'

/** The health of the data feeds, fed only by the realtime module: every event carries all feeds. */
export const useFeedsStore = defineStore('feeds', () => {
  const feeds = shallowRef<readonly FeedHealth[]>([])
  const troubled = computed(() => feeds.value.filter(f => f.status !== 'up'))

  function apply(data: FeedHealthEventData): void {
    feeds.value = data.feeds
  }

  return { feeds, troubled, apply }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useFeedsStore, import.meta.hot))
