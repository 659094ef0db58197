/**
 * The whole server on PostgreSQL: the simulated city's four domains are
 * stored there, and a restart on the same schema comes back with them.
 * Without a reachable PostgreSQL this skips with a message, except under CI.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import type { StationReading } from '@shared/schemas/air'
import type { Incident } from '@shared/schemas/incidents'
import { Config } from '@server/config'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { PG_TEST_URL, postgresProblem, redacted } from '@server/store/store.backends'
import { fastClock, getJson, until } from './int.support'

const T0 = Date.parse('2026-11-23T01:30:00.000Z')

describe('the server on PostgreSQL', { timeout: 90_000 }, async () => {
  const problem = await postgresProblem(PG_TEST_URL)
  if (problem && process.env.CI)
    throw new Error(`CI: PostgreSQL at ${redacted(PG_TEST_URL)} is not reachable (${problem})`)
  if (problem)
    console.warn(`[skip] PostgreSQL at ${redacted(PG_TEST_URL)} is not reachable (${problem}): the server-on-PostgreSQL test is skipped`)
  const schema = `ioc_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`
  const servers: RunningServer[] = []

  afterAll(async () => {
    for (const s of servers)
      await s.close()
    if (problem)
      return
    const client = new pg.Client({ connectionString: PG_TEST_URL })
    await client.connect()
    await client.query(`drop schema if exists "${schema}" cascade`)
    await client.end()
  })

  it.runIf(!problem)('stores the city there and comes back with it after a restart', async () => {
    const config = Config.parse({ port: 0, host: '127.0.0.1', databaseUrl: PG_TEST_URL, databaseSchema: schema, buildClient: false, simIntervalMs: 200, simFaultRate: 0 })
    const clock = fastClock(T0, 600)
    const first = await startServer(config, { clock })
    servers.push(first)
    const stored = await until('incidents and readings', async () => {
      const incidents = (await getJson<{ incidents: Incident[] }>(first, '/api/incidents?limit=1000')).body.incidents
      const readings = (await getJson<{ readings: StationReading[] }>(first, '/api/air/latest')).body.readings
      return incidents.length >= 5 && readings.length === 33 && { incidents, readings }
    }, 600)
    // Stop simulated time; once a whole round at the frozen time has come in as duplicates, the state holds still.
    clock.frozen = true
    const duplicates = async (): Promise<number> => (await getJson<{ feeds: { id: string, totals: { duplicates: number } }[] }>(first, '/api/feeds')).body.feeds.find(f => f.id === 'simulator')?.totals.duplicates ?? 0
    const duplicatesBefore = await duplicates()
    await until('a round at the frozen time', async () => (await duplicates()) >= duplicatesBefore + 33, 600)
    await first.drained()
    const before = (await getJson<{ readings: StationReading[] }>(first, '/api/air/latest')).body.readings
    await first.close()

    const second = await startServer({ ...config, simulator: false }, { clock })
    servers.push(second)
    const after = (await getJson<{ readings: StationReading[] }>(second, '/api/air/latest')).body.readings
    const byStation = (r: StationReading[]): StationReading[] => [...r].sort((a, b) => a.stationId.localeCompare(b.stationId))
    expect(byStation(after)).toEqual(byStation(before))
    const one = stored.incidents[0] as Incident
    const { incident } = (await getJson<{ incident: Incident }>(second, `/api/incidents/${encodeURIComponent(one.id)}`)).body
    expect(incident.ticketNo).toBe(one.ticketNo)
    expect((await getJson<{ segments: unknown[] }>(second, '/api/traffic/latest')).body.segments.length).toBeGreaterThan(1000)
  })
})
