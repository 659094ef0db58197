import type { Pinia } from 'pinia'
import { STREAM_ACTIONS } from '@shared/auth/policy'
import type { StreamChecksum } from '@shared/realtime/events'
import { z } from 'zod'
import { superviseConnection } from '@client/realtime/connection-supervisor'
import { createSocket } from '@client/realtime/socket'
import { StreamSubscription } from '@client/realtime/stream-subscription'
import { useAirStore } from '@client/stores/air'
import { useCityStore } from '@client/stores/city'
import { useConnectionStore } from '@client/stores/connection'
import { useFeedsStore } from '@client/stores/feeds'
import { getJson } from '@client/stores/http'
import { useIncidentsStore } from '@client/stores/incidents'
import { useSessionStore } from '@client/stores/session'
import { useTrendsStore } from '@client/stores/trends'

const Meta = z.object({ airIntervalMs: z.number() })

/**
 * The only place that binds the socket to the stores: one connection, kept up
 * by the supervisor, one subscription per stream, re-subscribed with the last
 * sequence on every reconnect. Every timer lives here or in the supervisor.
 * Returns a function that undoes everything (tests, HMR).
 */
export function installRealtime(pinia: Pinia): () => void {
  const connection = useConnectionStore(pinia)
  const air = useAirStore(pinia)
  const city = useCityStore(pinia)
  const feeds = useFeedsStore(pinia)
  const incidents = useIncidentsStore(pinia)
  const trends = useTrendsStore(pinia)
  const session = useSessionStore(pinia)
  // Each (re)connect asks for a fresh ticket through the signed-in session (server/auth: never the query string).
  const socket = createSocket({ auth: async () => ({ ticket: await session.socketTicket() }) })

  const streams = {
    air: new StreamSubscription(socket, 'air', {
      snapshot: s => air.applySnapshot(s),
      event: d => air.applyEvent(d),
      resynced: reason => connection.resynced(reason),
      subscribed: () => connection.messageReceived(),
    }),
    feedHealth: new StreamSubscription(socket, 'feed-health', {
      snapshot: s => feeds.apply(s),
      event: d => feeds.apply(d),
      resynced: reason => connection.resynced(reason),
      subscribed: () => connection.messageReceived(),
    }),
    incidents: new StreamSubscription(socket, 'incidents', {
      snapshot: s => incidents.applySnapshot(s),
      event: d => incidents.applyEvent(d),
      resynced: reason => connection.resynced(reason),
      subscribed: () => connection.messageReceived(),
    }),
    kpis: new StreamSubscription(socket, 'kpis', {
      // A snapshot means the stream started over (first connect, a restarted
      // server, a gap): the server's history fills in what the wall missed.
      snapshot: (s) => {
        trends.applyKpis(s)
        void trends.loadHistory(Date.parse(s.at))
      },
      event: d => trends.applyKpis(d),
      resynced: reason => connection.resynced(reason),
      subscribed: () => connection.messageReceived(),
    }),
  }

  socket.on('connect', () => {
    // Only the streams the session may read (an administrator's screens have no incidents): a refused subscribe is a denial in the audit log.
    for (const stream of Object.values(streams)) {
      if (session.can(STREAM_ACTIONS[stream.stream]))
        stream.subscribe()
    }
  })
  socket.on('disconnect', () => {
    for (const stream of Object.values(streams))
      stream.connectionLost()
  })
  // The wall shows the other domains once their panels exist (issue 6); their events find no subscription here.
  const byStream = new Map<string, { receive: (event: never) => void, verify: (checksum: StreamChecksum) => boolean }>(
    Object.values(streams).map(s => [s.stream, s]))
  socket.on('stream:published', (event) => {
    connection.messageReceived()
    byStream.get(event.stream)?.receive(event as never)
  })
  socket.on('stream:checksum', (checksum) => {
    byStream.get(checksum.stream)?.verify(checksum)
  })

  void city.load()
  getJson('/api/meta', Meta).then(m => connection.expectUpdatesEvery(m.airIntervalMs), () => {})
  const stopSupervising = superviseConnection(socket, connection, { network: window })

  return () => {
    stopSupervising()
    for (const stream of Object.values(streams))
      stream.close()
    socket.removeAllListeners()
    socket.disconnect()
  }
}

let installed: (() => void) | null = null
/** Starts the one connection once someone is signed in; `stopRealtime` ends it (sign-out). */
export function ensureRealtime(pinia: Pinia): void {
  installed ??= installRealtime(pinia)
}
export function stopRealtime(): void {
  installed?.()
  installed = null
}
