import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadCity } from '@server/city'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { fastCityConfig, until } from '@server/realtime/int.support'
import { TrafficFeed } from './traffic-feed'

const SECRET = 'bench-traffic-feed-test-secret'

describe('the benchmark traffic feed, through the real webhook ingest', { timeout: 60_000 }, () => {
  let dir: string
  let server: RunningServer
  let shown = 0

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-bench-feed-'))
    server = await startServer(fastCityConfig(join(dir, 'ioc.db'), {
      simulator: false,
      feeds: [{ id: 'bench-traffic', adapter: 'webhook', enabled: true, crs: 'WGS84', staleAfterMs: 60_000, secret: { value: SECRET }, replayWindowS: 300, maxBodyBytes: 1024 * 1024 }],
    }))
    server.bus.on('traffic.updated', (data) => {
      shown += data.segments.length
    })
  })
  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('has every record it sends accepted, and each one changes what a wall shows', async () => {
    const roads = loadCity('dongguan').roads
    const feed = new TrafficFeed({ url: server.url, feedId: 'bench-traffic', secret: SECRET, roads, changesPerSecond: 2 * roads.length, pushesPerSecond: 4, seed: 1 })
    feed.start()
    // More records than segments: every segment reports at least twice.
    await until('two rounds of the network', () => feed.counts.records > 2 * roads.length, 400, 25)
    await feed.stop()
    await server.drained()
    await until('the last change published', () => shown === feed.counts.accepted)
    expect(feed.counts).toMatchObject({ rejected: 0, duplicates: 0, late: 0, failed: 0 })
    expect(feed.counts.accepted).toBe(feed.counts.records)
    expect(shown).toBe(feed.counts.records)
  })
})
