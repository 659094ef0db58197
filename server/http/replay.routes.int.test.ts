/**
 * GET /api/replay through the running server on the simulated city: a past
 * hour answers the wall's state and its frames, gzipped; the same window
 * asked twice plays the same sequence; leaders only; a window too long or
 * outside the minute history is refused with what is wrong.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ReplayAnswer } from '@shared/schemas/replay'
import type { HttpSession } from '@server/auth/auth.support'
import { userSession } from '@server/auth/auth.support'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { fastCityConfig, fastClock, until } from '@server/realtime/int.support'

/** Monday 2026-11-23 08:00 in Dongguan: the morning rush. */
const T0 = Date.parse('2026-11-23T00:00:00.000Z')
/** A real second is five simulated minutes; a simulator round (200 ms) one simulated minute. */
const SIM_MS_PER_REAL_MS = 300
const MIN = 60_000
const HOUR = 60 * MIN
const iso = (t: number): string => new Date(t).toISOString()
const query = (from: number, to: number): string => `/api/replay?${new URLSearchParams({ from: iso(from), to: iso(to) }).toString()}`

describe('GET /api/replay through the running server', { timeout: 120_000 }, () => {
  let dir: string
  let server: RunningServer
  let clock: ReturnType<typeof fastClock>
  let leader: HttpSession

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-replay-'))
    clock = fastClock(T0, SIM_MS_PER_REAL_MS)
    // The rules stay off: the replay's alert frames have their own unit tests.
    server = await startServer(fastCityConfig(join(dir, 'ioc.db'), { historyMinuteDays: 1, alerts: false }), { clock, kpiIntervalMs: 200 })
    leader = await userSession(server, server.url, ['leader'])
    await until('an hour and a quarter of simulated history', () => clock.now() >= T0 + HOUR + 15 * MIN, 600, 100)
    await server.drained()
  }, 90_000)
  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('plays a past hour: the state at its start, then minute frames and work orders, the same each time', async () => {
    const from = T0 + 10 * MIN
    const to = from + HOUR
    const raw = async (): Promise<{ status: number, encoding: string | null, bytes: Buffer }> => {
      const res = await fetch(`${server.url}${query(from, to)}`, { headers: { 'cookie': leader.cookie, 'accept-encoding': 'gzip' } })
      return { status: res.status, encoding: res.headers.get('content-encoding'), bytes: Buffer.from(await res.arrayBuffer()) }
    }
    const first = await raw()
    expect(first.status).toBe(200)
    // fetch has already inflated it; the header says it travelled gzipped.
    expect(first.encoding).toBe('gzip')
    const answer = ReplayAnswer.parse(JSON.parse(first.bytes.toString('utf8')))
    expect(answer.from).toBe(iso(from))
    expect(answer.start.traffic.segments.length).toBeGreaterThan(1000)
    expect(answer.start.kpis?.at).toBe(iso(from))
    const kpis = answer.frames.filter(f => f.stream === 'kpis')
    expect(kpis.map(f => f.at)).toEqual(Array.from({ length: 59 }, (_, i) => iso(from + (i + 1) * MIN)))
    expect(answer.frames.filter(f => f.stream === 'traffic').length).toBeGreaterThan(20)
    expect(answer.frames.some(f => f.stream === 'incidents')).toBe(true)
    const second = await raw()
    expect(second.bytes.equals(first.bytes)).toBe(true)
    console.info(`[replay] 1 h of the simulated city: ${(first.bytes.length / 1e6).toFixed(2)} MB of JSON, ${answer.frames.length} frames`)
  })

  it('sends gzip only to those who take it', async () => {
    const res = await fetch(`${server.url}${query(T0 + 10 * MIN, T0 + 20 * MIN)}`, { headers: { 'cookie': leader.cookie, 'accept-encoding': 'identity' } })
    expect(res.headers.get('content-encoding')).toBeNull()
    expect(ReplayAnswer.safeParse(await res.json()).success).toBe(true)
  })

  it('is for leaders: an operator is refused', async () => {
    const operator = await userSession(server, server.url, ['operator'])
    expect((await operator.get(query(T0 + 10 * MIN, T0 + 20 * MIN))).status).toBe(403)
  })

  it('refuses a window over 3 hours, and one outside the minute history, saying why', async () => {
    const long = await leader.get<{ error: string }>(query(T0, T0 + 3 * HOUR + MIN))
    expect(long.status).toBe(400)
    expect(long.body.error).toContain('at most 3 hours')
    const old = await leader.get<{ error: string }>(query(T0 - 2 * 24 * HOUR, T0 - 2 * 24 * HOUR + HOUR))
    expect(old.status).toBe(422)
    expect(old.body.error).toContain('IOC_HISTORY_MINUTE_DAYS = 1')
    const future = await leader.get<{ error: string }>(query(clock.now() + HOUR, clock.now() + 2 * HOUR))
    expect(future.status).toBe(422)
  })
})
