/**
 * A plain TCP relay between the wall's browser and the server, so that the
 * benchmark can cut the wall's connections the way a network blip does
 * (both ends see the socket close) and watch the wall reconnect: the
 * server and the page run unmodified.
 */
import { createServer, connect } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'

export interface Relay {
  port: number
  url: string
  /** Connections currently relayed. */
  open: () => number
  /** Closes every relayed connection at once; new ones are relayed as before. */
  dropAll: () => number
  close: () => Promise<void>
}

export async function startRelay(targetPort: number): Promise<Relay> {
  const pairs = new Set<[Socket, Socket]>()
  const server = createServer((client) => {
    const upstream = connect(targetPort, '127.0.0.1')
    const pair: [Socket, Socket] = [client, upstream]
    pairs.add(pair)
    const end = (): void => {
      pairs.delete(pair)
      client.destroy()
      upstream.destroy()
    }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  return {
    port,
    url: `http://localhost:${port}`,
    open: () => pairs.size,
    dropAll: () => {
      const n = pairs.size
      for (const [client, upstream] of [...pairs]) {
        client.destroy()
        upstream.destroy()
      }
      pairs.clear()
      return n
    },
    close: () => new Promise<void>((resolve) => {
      for (const [client, upstream] of pairs) {
        client.destroy()
        upstream.destroy()
      }
      server.close(() => resolve())
    }),
  }
}
