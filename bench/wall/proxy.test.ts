import { createServer, connect } from 'node:net'
import type { AddressInfo, Server, Socket } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startRelay } from './proxy'
import type { Relay } from './proxy'

/** An echo server: what the relay carries comes back. */
function echoServer(): Promise<Server> {
  const server = createServer(socket => socket.pipe(socket))
  return new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server)))
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => resolve(socket))
    socket.once('error', reject)
  })
}

const reply = (socket: Socket): Promise<string> => new Promise(resolve => socket.once('data', d => resolve(d.toString())))
const closed = (socket: Socket): Promise<void> => new Promise(resolve => socket.once('close', () => resolve()))

describe('the relay between the wall and the server', () => {
  let echo: Server
  let relay: Relay

  beforeAll(async () => {
    echo = await echoServer()
    relay = await startRelay((echo.address() as AddressInfo).port)
  })
  afterAll(async () => {
    await relay.close()
    await new Promise(resolve => echo.close(resolve))
  })

  it('carries bytes both ways, cuts every connection at once, and relays new ones after', async () => {
    const a = await open(relay.port)
    const b = await open(relay.port)
    const answered = reply(a)
    a.write('ping')
    expect(await answered).toBe('ping')
    await new Promise(resolve => setTimeout(resolve, 20))
    expect(relay.open()).toBe(2)

    const bothClosed = Promise.all([closed(a), closed(b)])
    expect(relay.dropAll()).toBe(2)
    await bothClosed
    expect(relay.open()).toBe(0)

    const c = await open(relay.port)
    const again = reply(c)
    c.write('again')
    expect(await again).toBe('again')
    c.destroy()
  })
})
