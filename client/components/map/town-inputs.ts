import type { CityModel } from '@shared/schemas/city'
import { useAirStore } from '@client/stores/air'
import { useHallsStore } from '@client/stores/halls'
import { useKpisStore } from '@client/stores/kpis'
import { useTrafficStore } from '@client/stores/traffic'
import type { TownInputs } from './choropleth'

/** Reads what the towns' values are computed from, from the stores (tracked when called inside a computed or watcher). */
export function useTownInputs(city: CityModel): () => TownInputs {
  const air = useAirStore()
  const halls = useHallsStore()
  const kpis = useKpisStore()
  const traffic = useTrafficStore()
  return () => ({
    stations: city.airStations,
    readings: air.readings,
    traffic: traffic.towns,
    tpiByTown: kpis.kpis?.traffic.tpiByTown ?? null,
    halls: city.halls,
    hallReadings: halls.readings,
    openByTown: kpis.kpis?.incidents.openByTown ?? null,
  })
}
