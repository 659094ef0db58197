import type { Kysely } from 'kysely'
import type { AirStation, CityAqiPoint, StationReading } from '@shared/schemas/air'
import { onePerKey } from './batches'
import type { AirRepository } from './repositories'
import type { Database } from './schema'

const newer = (held: StationReading, next: StationReading): boolean => held.observedAt < next.observedAt

/** The air repository over any Kysely dialect (SQLite, PostgreSQL). */
export function createAirRepository(db: Kysely<Database>): AirRepository {
  return {
    async saveStations(stations: readonly AirStation[]) {
      if (stations.length === 0)
        return
      await db.insertInto('air_stations')
        .values(onePerKey(stations, s => s.id, () => true).map(s => ({ id: s.id, name: s.name, town_code: s.townCode, kind: s.kind, lng: s.lng, lat: s.lat })))
        .onConflict(oc => oc.column('id').doUpdateSet(eb => ({
          name: eb.ref('excluded.name'),
          town_code: eb.ref('excluded.town_code'),
          kind: eb.ref('excluded.kind'),
          lng: eb.ref('excluded.lng'),
          lat: eb.ref('excluded.lat'),
        })))
        .execute()
    },

    async saveLatest(readings: readonly StationReading[]) {
      if (readings.length === 0)
        return
      await db.insertInto('air_latest')
        .values(onePerKey(readings, r => r.stationId, newer).map(r => ({ station_id: r.stationId, observed_at: r.observedAt, aqi: r.aqi.aqi, reading: JSON.stringify(r) })))
        .onConflict(oc => oc.column('station_id').doUpdateSet(eb => ({
          observed_at: eb.ref('excluded.observed_at'),
          aqi: eb.ref('excluded.aqi'),
          reading: eb.ref('excluded.reading'),
        // ISO instants in UTC compare as text; late data never overwrites newer state.
        })).where('air_latest.observed_at', '<', eb => eb.ref('excluded.observed_at')))
        .execute()
    },

    async latest() {
      const rows = await db.selectFrom('air_latest').select('reading').execute()
      return rows.map(r => JSON.parse(r.reading) as StationReading)
    },

    async saveCityPoint(point: CityAqiPoint) {
      await db.insertInto('city_aqi_points').values(point)
        .onConflict(oc => oc.column('t').doUpdateSet({ aqi: point.aqi }))
        .execute()
    },

    async cityTrend(since: string) {
      return db.selectFrom('city_aqi_points').select(['t', 'aqi']).where('t', '>=', since).orderBy('t').execute()
    },

    async pruneCityTrend(before: string) {
      await db.deleteFrom('city_aqi_points').where('t', '<', before).execute()
    },
  }
}
