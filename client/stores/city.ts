import { acceptHMRUpdate, defineStore } from 'pinia'
import { shallowRef } from 'vue'
import { CityModel } from '@shared/schemas/city'
import { getJson } from './http'

/** The city model (outline, towns, stations): loaded once, never changes while the page lives. */
export const useCityStore = defineStore('city', () => {
  const model = shallowRef<CityModel | null>(null)
  const error = shallowRef<string | null>(null)

  async function load(): Promise<void> {
    try {
      model.value = await getJson('/api/city', CityModel)
      error.value = null
    }
    catch (err) {
      error.value = err instanceof Error ? err.message : String(err)
    }
  }

  return { model, error, load }
})

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useCityStore, import.meta.hot))
