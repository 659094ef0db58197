/**
 * The server side of bench/transport.ts, run as a child process (pinned to
 * its own core): the real server with the simulator, plus a plain `ws`
 * server that replays recorded payloads, so the socket.io overhead shows.
 *
 * Settings come as JSON in BENCH_SERVER_OPTS; it talks to the parent over IPC:
 *   → { type: 'ready', port, wsPort }          once listening
 *   ← { type: 'usage' }  → { type: 'usage', cpu, rss, clients }
 *   ← { type: 'replay', frames }  → { type: 'replayed' } once every frame is sent
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocketServer } from 'ws'
import { Config } from '@server/config'
import { startServer } from '@server/main'

export interface ServerOptions {
  port: number
  tickMs: number
  simSpeed: number
  /** Real time between two simulator rounds of each telemetry feed. */
  intervalMs: number
}

/** One recorded payload: its offset from the first, and its JSON text. */
export interface Frame { t: number, text: string }

export type ToChild = { type: 'usage' } | { type: 'replay', frames: Frame[] }
export type FromChild =
  | { type: 'ready', port: number, wsPort: number }
  | { type: 'usage', cpu: NodeJS.CpuUsage, rss: number, wsClients: number }
  | { type: 'replayed' }

function send(message: FromChild): void {
  process.send?.(message)
}

async function main(): Promise<void> {
  const opts = JSON.parse(process.env.BENCH_SERVER_OPTS ?? '{}') as ServerOptions
  const dir = mkdtempSync(join(tmpdir(), 'ioc-transport-'))
  const config = Config.parse({
    port: opts.port,
    host: '127.0.0.1',
    dbFile: join(dir, 'bench.db'),
    buildClient: false,
    tickMs: opts.tickMs,
    simSpeed: opts.simSpeed,
    simIntervalMs: opts.intervalMs,
    simTrafficIntervalMs: opts.intervalMs,
    simHallIntervalMs: opts.intervalMs,
  })
  const server = await startServer(config)
  // socket.io leaves per-message deflate off; so does the comparison.
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise<void>(resolve => wss.once('listening', () => resolve()))
  const wsPort = (wss.address() as { port: number }).port

  process.on('message', (message: ToChild) => {
    if (message.type === 'usage')
      send({ type: 'usage', cpu: process.cpuUsage(), rss: process.memoryUsage().rss, wsClients: wss.clients.size })
    else if (message.type === 'replay')
      replay(wss, message.frames, () => send({ type: 'replayed' }))
  })
  process.on('disconnect', () => {
    wss.close()
    void server.close().finally(() => {
      rmSync(dir, { recursive: true, force: true })
      process.exit(0)
    })
  })
  send({ type: 'ready', port: server.port, wsPort })
}

/** Sends every frame to every client at its recorded offset, as socket.io's broadcast does: encoded once. */
function replay(wss: WebSocketServer, frames: readonly Frame[], done: () => void): void {
  const start = Date.now()
  let next = 0
  const step = (): void => {
    const elapsed = Date.now() - start
    while (next < frames.length && (frames[next] as Frame).t <= elapsed) {
      const text = (frames[next] as Frame).text
      for (const client of wss.clients)
        client.send(text)
      next++
    }
    if (next < frames.length)
      setTimeout(step, Math.max(0, (frames[next] as Frame).t - (Date.now() - start)))
    else
      done()
  }
  step()
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
