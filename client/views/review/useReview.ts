import { ref, shallowRef } from 'vue'
import type { ReviewRange, ReviewScope } from '@shared/schemas/review'
import { ReviewPage } from '@shared/schemas/review'
import { getJson } from '@client/stores/http'
import { reviewQuery } from './review-period'

const REVIEW_URL = '/api/review'

/**
 * One review page at a time: asked again whenever the scope or the period
 * changes (the route says both); an answer that arrives after a newer
 * question is dropped, so a quick second click never shows the first page.
 */
export function useReview() {
  const page = shallowRef<ReviewPage | null>(null)
  const error = shallowRef<unknown>(null)
  const loading = ref(false)
  const invalid = ref(false)
  let asked = 0

  async function load(scope: ReviewScope, range: ReviewRange, custom: { from: string, to: string }): Promise<void> {
    const ask = ++asked
    const query = reviewQuery(scope, range, custom)
    invalid.value = query === null
    if (query === null)
      return
    loading.value = true
    error.value = null
    try {
      const answer = await getJson(`${REVIEW_URL}?${query}`, ReviewPage)
      if (ask === asked)
        page.value = answer
    }
    catch (err) {
      if (ask === asked)
        error.value = err
    }
    finally {
      if (ask === asked)
        loading.value = false
    }
  }

  return { page, error, loading, invalid, load }
}
