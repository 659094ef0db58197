import type { Pinia } from 'pinia'
import { STREAM_ACTIONS } from '@shared/auth/policy'
import type { StreamChecksum } from '@shared/realtime/events'
import type { StreamName } from '@shared/realtime/streams'
import { nextTick } from 'vue'
import { z } from 'zod'
import { superviseConnection } from '@client/realtime/connection-supervisor'
import { createSocket } from '@client/realtime/socket'
import type { StreamHandlers } from '@client/realtime/stream-subscription'
import { StreamSubscription } from '@client/realtime/stream-subscription'
import { TickStats } from '@client/realtime/tick-stats'
import { useCityStore } from '@client/stores/city'
import { useConnectionStore } from '@client/stores/connection'
import { getJson } from '@client/stores/http'
import { useLiveStore } from '@client/stores/live'
import { useSessionStore } from '@client/stores/session'
import { useTrendsStore } from '@client/stores/trends'

const Meta = z.object({
  airIntervalMs: z.number(),
  trafficIntervalMs: z.number().optional(),
  hallIntervalMs: z.number().optional(),
  kpiIntervalMs: z.number().optional(),
  simulator: z.boolean().optional(),
  simSpeed: z.number().optional(),
})

/** The server publishes feed health at least this often (server/publisher.ts). */
const FEED_HEALTH_EVERY_MS = 5000

/** Panels change at most this often, however fast events arrive (performance.md §5: one update tick). */
export const UI_TICK_MS = 250

/**
 * The only place that binds the socket to the stores: one connection, kept up
 * by the supervisor, one subscription per stream, re-subscribed with the last
 * sequence on every reconnect, and one UI tick that hands what the streams
 * folded in to the panels. Every timer lives here or in the supervisor.
 * Returns a function that undoes everything (tests, HMR).
 */
export function installRealtime(pinia: Pinia): () => void {
  const connection = useConnectionStore(pinia)
  const live = useLiveStore(pinia)
  const city = useCityStore(pinia)
  const trends = useTrendsStore(pinia)
  const session = useSessionStore(pinia)
  // Each (re)connect asks for a fresh ticket through the signed-in session (server/auth: never the query string).
  const socket = createSocket({ auth: async () => ({ ticket: await session.socketTicket() }) })

  const common = {
    resynced: (reason: string) => connection.resynced(reason),
    subscribed: () => connection.messageReceived(),
  }
  function follow<S extends StreamName>(stream: S, extra: Partial<StreamHandlers<S>> = {}): StreamSubscription<S> {
    const subscription: StreamSubscription<S> = new StreamSubscription(socket, stream, {
      ...common,
      snapshot: (s) => {
        live.applied(stream)
        extra.snapshot?.(s)
      },
      event: (d) => {
        live.applied(stream)
        extra.event?.(d)
      },
    })
    live.attach(stream, () => subscription.view())
    return subscription
  }

  const streams = [
    follow('air'),
    follow('traffic'),
    follow('halls'),
    follow('incidents'),
    follow('alerts'),
    follow('feed-health'),
    follow('kpis', {
      // A snapshot means the stream started over (first connect, a restarted
      // server, a gap): the server's history fills in what the wall missed.
      // A replay (client/replay) feeds the trends itself; it reloads them from here when it ends.
      snapshot: (s) => {
        if (live.replaying)
          return
        trends.applyKpis(s)
        void trends.loadHistory(Date.parse(s.at))
      },
      event: (d) => {
        if (!live.replaying)
          trends.applyKpis(d)
      },
    }),
  ]

  socket.on('connect', () => {
    // Only the streams the session may read (an administrator's screens have no incidents): a refused subscribe is a denial in the audit log.
    for (const stream of streams) {
      if (session.can(STREAM_ACTIONS[stream.stream]))
        stream.subscribe()
    }
  })
  socket.on('disconnect', () => {
    for (const stream of streams)
      stream.connectionLost()
  })
  const byStream = new Map<string, { receive: (event: never) => void, verify: (checksum: StreamChecksum) => boolean }>(
    streams.map(s => [s.stream, s]))
  socket.on('stream:published', (event) => {
    connection.messageReceived()
    byStream.get(event.stream)?.receive(event as never)
  })
  socket.on('stream:checksum', (checksum) => {
    byStream.get(checksum.stream)?.verify(checksum)
  })
  const tick = setInterval(() => void uiTick(() => live.flush()), UI_TICK_MS)

  void city.load()
  getJson('/api/meta', Meta).then((m) => {
    connection.expectUpdatesEvery(m.airIntervalMs)
    live.simulated = m.simulator === true
    live.expectRhythm({
      'air': m.airIntervalMs,
      ...(m.trafficIntervalMs !== undefined ? { traffic: m.trafficIntervalMs } : {}),
      ...(m.hallIntervalMs !== undefined ? { halls: m.hallIntervalMs } : {}),
      ...(m.kpiIntervalMs !== undefined ? { kpis: m.kpiIntervalMs } : {}),
      'feed-health': FEED_HEALTH_EVERY_MS,
    })
  }, () => {})
  const stopSupervising = superviseConnection(socket, connection, { network: window })

  return () => {
    clearInterval(tick)
    stopSupervising()
    for (const stream of streams)
      stream.close()
    socket.removeAllListeners()
    socket.disconnect()
  }
}

/**
 * One UI tick: the streams' changes reach the panels, Vue re-renders and the
 * map and charts take their diffs. Its main-thread time is kept for the wall
 * benchmark (performance.md C-1).
 */
async function uiTick(flush: () => void): Promise<void> {
  const start = performance.now()
  flush()
  await nextTick()
  tickStats.record(performance.now() - start)
}
const tickStats = new TickStats()
window.__iocTicks = tickStats

let installed: (() => void) | null = null
/** Starts the one connection once someone is signed in; `stopRealtime` ends it (sign-out). */
export function ensureRealtime(pinia: Pinia): void {
  installed ??= installRealtime(pinia)
}
export function stopRealtime(): void {
  installed?.()
  installed = null
}
