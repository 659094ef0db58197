import type { Pinia } from 'pinia'
import { z } from 'zod'
import { superviseConnection } from '@client/realtime/connection-supervisor'
import { createSocket } from '@client/realtime/socket'
import { StreamSubscription } from '@client/realtime/stream-subscription'
import { useAirStore } from '@client/stores/air'
import { useCityStore } from '@client/stores/city'
import { useConnectionStore } from '@client/stores/connection'
import { useFeedsStore } from '@client/stores/feeds'
import { getJson } from '@client/stores/http'

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
  const socket = createSocket()

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
  }

  socket.on('connect', () => {
    for (const stream of Object.values(streams))
      stream.subscribe()
  })
  socket.on('disconnect', () => {
    for (const stream of Object.values(streams))
      stream.connectionLost()
  })
  socket.on('stream:published', (event) => {
    connection.messageReceived()
    switch (event.stream) {
      case 'air':
        streams.air.receive(event)
        break
      case 'feed-health':
        streams.feedHealth.receive(event)
        break
      // The wall shows the other domains once their panels exist (issue 6).
      default:
        break
    }
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
