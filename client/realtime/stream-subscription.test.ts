import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { io } from 'socket.io-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StreamEvent } from '@shared/realtime/events'
import type { AirEventData } from '@shared/realtime/streams'
import { Config } from '@server/config'
import { startServer } from '@server/main'
import type { RunningServer } from '@server/main'
import type { IocSocket } from './socket'
import { StreamSubscription } from './stream-subscription'

async function until(condition: () => boolean, what: string, tries = 400): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (condition())
      return
    await new Promise(resolve => setTimeout(resolve, 25))
  }
  throw new Error(`gave up waiting for ${what}`)
}

describe(StreamSubscription.name, () => {
  let server: RunningServer
  let dir: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ioc-sub-'))
    server = await startServer(Config.parse({
      port: 0, host: '127.0.0.1', dbFile: join(dir, 'ioc.db'), buildClient: false,
      simSpeed: 60, simIntervalMs: 100, simFaultRate: 0,
    }))
  })
  afterAll(async () => {
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('fills a gap in the numbering from the server and survives a reconnect without a new snapshot', async () => {
    const socket: IocSocket = io(`http://127.0.0.1:${server.port}`, { transports: ['websocket'] })
    const applied: AirEventData[] = []
    const resyncs: string[] = []
    let snapshots = 0
    const sub = new StreamSubscription(socket, 'air', {
      snapshot: () => { snapshots += 1 },
      event: data => applied.push(data),
      resynced: reason => resyncs.push(reason),
    })
    // Lose exactly one live event on the way, as a flaky link would.
    let dropNext = false
    let dropped: StreamEvent<'air'> | undefined
    socket.on('connect', () => sub.subscribe())
    socket.on('stream:published', (event) => {
      if (event.stream !== 'air')
        return
      if (dropNext && !dropped) {
        dropped = event
        return
      }
      sub.receive(event)
    })

    try {
      await until(() => snapshots === 1 && applied.length >= 3, 'a snapshot and three events')
      dropNext = true
      await until(() => dropped !== undefined && (sub.position.seq ?? 0) > dropped.seq, 'the gap to be filled')
      expect(resyncs.some(r => r.startsWith('gap after'))).toBe(true)
      expect(applied).toContainEqual(dropped?.data)
      expect(snapshots).toBe(1)

      const before = sub.position.seq ?? 0
      socket.disconnect()
      socket.connect()
      await until(() => (sub.position.seq ?? 0) > before + 2, 'events after the reconnect')
      // The reconnect resumed from the held sequence: the server sent the missed events, not a snapshot.
      expect(snapshots).toBe(1)
    }
    finally {
      socket.disconnect()
    }
  })
})
