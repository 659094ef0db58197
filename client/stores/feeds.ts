import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed } from 'vue'
import type { FeedHealth } from '@shared/schemas/feeds'
import { useLiveStore } from './live'

/** The health of the data feeds: every feed-health event carries all of them. */
export const useFeedsStore = defineStore('feeds', () => {
  const live = useLiveStore()
  const feeds = computed<readonly FeedHealth[]>(() => live.view('feed-health')?.feeds ?? [])
  const troubled = computed(() => feeds.value.filter(f => f.status !== 'up'))
  return { feeds, troubled, health: computed(() => live.health['feed-health']) }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useFeedsStore, import.meta.hot))
