/**
 * The scenario CLI against a real HTTP server: express with the server's own
 * scenario routes, driving a real CitySimulator on the test city.
 */
import { createServer } from 'node:http'
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authStack, TEST_ADMIN } from '@server/auth/auth.support'
import { scenarioRoutes } from '@server/http/scenarios.routes'
import { openSqliteStore } from '@server/store/sqlite'
import { createManualClock } from '@server/feeds/sim-clock'
import { CitySimulator } from '@server/feeds/simulator/city-simulator'
import { WEEKDAY_CALENDAR } from '@server/feeds/simulator/china-time'
import { fixtureCity, FIXTURE_TOWNS, MONDAY_MIDNIGHT } from '@server/feeds/simulator/city.fixture'
import type { CliIo } from './scenario'
import { parseArgs, resolveArea, runCli, UsageError } from './scenario'

const city = fixtureCity()
const clock = createManualClock(MONDAY_MIDNIGHT + 10 * 3_600_000)
const simulator = new CitySimulator({
  city, clock, seed: 1, airIntervalMs: 5000, trafficIntervalMs: 5000, hallIntervalMs: 5000, incidentsPerDay: 100, faultRate: 0,
  isWorkingDay: WEEKDAY_CALENDAR.isWorkingDay,
})
let server: Server
let url = ''
let env: Record<string, string> = {}

beforeAll(async () => {
  const store = await openSqliteStore(':memory:')
  const stack = authStack(store)
  const app = express()
  app.get('/api/city', (_req, res) => {
    res.json(city)
  })
  app.use('/api', stack.router, scenarioRoutes(simulator, stack.guard))
  server = createServer(app)
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  // Drills are a duty officer's: the CLI signs in as one.
  const { user, password } = await stack.admin.createUser(TEST_ADMIN, { username: 'duty', displayName: '值班长', roles: ['duty_officer'], departmentId: null }, { mustChangePassword: false })
  env = { IOC_USER: user.username, IOC_PASSWORD: password }
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

async function cli(...argv: string[]): Promise<{ code: number, out: string, err: string }> {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = { fetch, out: l => out.push(l), err: l => err.push(l), env }
  const code = await runCli([...argv, '--url', url], io)
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('scenario CLI', () => {
  it('starts, lists and cancels scenarios on a running server', async () => {
    const rain = await cli('heavy-rain', '--area', 'south', '--duration', '120')
    expect(rain.err).toBe('')
    expect(rain.code).toBe(0)
    expect(rain.out).toMatch(/started sc\d+-heavy-rain {2}南部暴雨 {2}\(heavy-rain, 2 towns, intensity 0\.7, simulated 11-23 10:00 → 11-23 12:00\)/)
    const smell = await cli('chemical-smell', '--area', 'Shatian,长安镇', '--intensity=0.9')
    expect(smell.code).toBe(0)
    expect(smell.out).toContain('沙田、长安异味')
    const active = simulator.scenarios()
    expect(active.map(s => s.kind)).toEqual(['heavy-rain', 'chemical-smell'])
    expect(active[1]?.area.townCodes).toEqual(['441900123', '441900119'])
    expect(active[1]?.intensity).toBe(0.9)

    const list = await cli('list')
    expect(list.out.split('\n')).toHaveLength(2)
    expect(list.out).toContain('南部暴雨')

    const id = active[0]?.id ?? ''
    expect((await cli('cancel', id)).out).toBe(`cancelled ${id}`)
    const again = await cli('cancel', id)
    expect(again.code).toBe(1)
    expect(again.err).toContain(`404: no active scenario ${id}`)
    expect((await cli('list')).out).not.toContain('南部暴雨')
  })

  it('explains mistakes: an unknown town, a bad number, an unknown kind', async () => {
    const town = await cli('heavy-rain', '--area', '沙天')
    expect(town.code).toBe(2)
    expect(town.err).toMatch(/unknown town '沙天'; towns: 南城 东城 沙田 虎门 长安/)
    const intensity = await cli('heavy-rain', '--intensity', '1.5')
    expect(intensity.code).toBe(2)
    expect(intensity.err).toContain('--intensity expects a number from 0 to 1, got "1.5"')
    const kind = await cli('earthquake')
    expect(kind.code).toBe(2)
    expect(kind.err).toContain("unknown command or scenario kind 'earthquake'")
  })

  it('says so when the server cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createServer()
    await new Promise<void>(resolve => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise(resolve => probe.close(resolve))
    const out: string[] = []
    const code = await runCli(['list', '--url', `http://127.0.0.1:${port}`], { fetch, out: l => out.push(l), err: l => out.push(l), env })
    expect(code).toBe(1)
    expect(out.join('\n')).toContain(`cannot reach the server at http://127.0.0.1:${port} (ECONNREFUSED); is it running?`)
  })

  it('signs in first, and says how when it cannot', async () => {
    const out: string[] = []
    const io: CliIo = { fetch, out: l => out.push(l), err: l => out.push(l), env: {} }
    expect(await runCli(['list', '--url', url], io)).toBe(2)
    expect(out.join('\n')).toContain('sign in: give --user (or IOC_USER) and IOC_PASSWORD')
    expect(await runCli(['list', '--url', url], { ...io, env: { IOC_USER: 'duty', IOC_PASSWORD: 'not the password' } })).toBe(1)
    expect(out.join('\n')).toContain('POST /api/auth/login → 401: wrong user name or password')
  })
})

describe('parseArgs and resolveArea', () => {
  it('reads commands and options', () => {
    expect(parseArgs(['list'])).toEqual({ command: { action: 'list' }, url: 'http://localhost:3000' })
    expect(parseArgs(['air-episode', '--area=北部', '--duration', '30', '--url', 'http://ioc:8080/']).command)
      .toEqual({ action: 'inject', kind: 'air-episode', area: '北部', durationMin: 30 })
    expect(() => parseArgs(['cancel'])).toThrow(UsageError)
    expect(() => parseArgs(['list', '--area', 'south'])).toThrow(/takes no --area/)
    expect(() => parseArgs(['heavy-rain', '--duration', '1.5'])).toThrow(/whole simulated minutes/)
    expect(() => parseArgs(['heavy-rain', '--speed', '2'])).toThrow(/unknown option --speed/)
    expect(parseArgs(['feed-outage', '--feed', 'traffic', '--duration', '20']).command)
      .toEqual({ action: 'inject', kind: 'feed-outage', feed: 'traffic', durationMin: 20 })
    expect(() => parseArgs(['feed-outage', '--feed', 'radio'])).toThrow(/--feed expects one of air, traffic, hall, incident/)
  })

  it('resolves regions and towns by name, short name, pinyin or code', () => {
    expect(resolveArea('centre', FIXTURE_TOWNS)).toEqual({ region: 'centre' })
    expect(resolveArea('南部', FIXTURE_TOWNS)).toEqual({ region: 'south' })
    expect(resolveArea("沙田镇、changan，441900121,Chang'an", FIXTURE_TOWNS)).toEqual({ townCodes: ['441900123', '441900119', '441900121'] })
    expect(() => resolveArea('south,沙田', FIXTURE_TOWNS)).toThrow(/mixes a region with towns/)
    expect(() => resolveArea('沙', FIXTURE_TOWNS)).toThrow(/did you mean 沙田/)
  })
})
