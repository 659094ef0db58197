import type { Pinia } from 'pinia'
import { z } from 'zod'
import { createSocket } from '@client/realtime/socket'
import { StreamSubscription } from '@client/realtime/stream-subscription'
import { useAirStore } from '@client/stores/air'
import { useCityStore } from '@client/stores/city'
import { useConnectionStore } from '@client/stores/connection'
import { useFeedsStore } from '@client/stores/feeds'
import { getJson } from '@client/stores/http'

const CLOCK_TICK_MS = 1000
const Meta = z.object({ airIntervalMs: z.number() })

/**
 * The only place that binds the socket to the stores: one connection, one
 * subscription per stream, re-subscribed with the last sequence on every
 * reconnect. Returns a function that undoes everything (tests, HMR).
 */
export function installRealtime(pinia: Pinia): () => void {
  const connection = useConnectionStore(pinia)
  const air = useAirStore(pinia)
  const city = useCityStore(pinia)
  const feeds = useFeedsStore(pinia)
  const socket = createSocket()

  const streams = {
    air: new StreamSubscription(socket, 'air', {
      snapshot: (s) => {
        connection.messageReceived()
        air.applySnapshot(s)
      },
      event: d => air.applyEvent(d),
      resynced: reason => connection.resynced(reason),
    }),
    feedHealth: new StreamSubscription(socket, 'feed-health', {
      snapshot: s => feeds.apply(s),
      event: d => feeds.apply(d),
      resynced: reason => connection.resynced(reason),
    }),
  }

  socket.on('connect', () => {
    connection.setStatus('connected')
    for (const stream of Object.values(streams))
      stream.subscribe()
  })
  socket.on('disconnect', () => connection.setStatus('disconnected'))
  socket.io.on('reconnect_attempt', () => connection.setStatus('connecting'))
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

  const clock = setInterval(() => connection.tick(), CLOCK_TICK_MS)
  void city.load()
  getJson('/api/meta', Meta).then(m => connection.expectUpdatesEvery(m.airIntervalMs), () => {})
  socket.connect()

  return () => {
    clearInterval(clock)
    socket.removeAllListeners()
    socket.disconnect()
  }
}
