import type { IocSocket } from './socket'
import { RECONNECT_DELAY_MAX_MS, RECONNECT_DELAY_MS, RECONNECT_RANDOMIZATION } from './socket'

/** What the supervisor reports to and reads from: the connection store fits it. */
export interface ConnectionLink {
  /** True once the current connection has been silent for twice the stale threshold. */
  readonly presumedDead: boolean
  connected: () => void
  disconnected: () => void
  connecting: (options: { reconnect: boolean }) => void
  setBrowserOnline: (online: boolean) => void
  tick: () => void
}

/** Where the browser announces `online` and `offline` (`window`). */
export interface NetworkEvents {
  addEventListener: (type: 'online' | 'offline', listener: () => void) => void
  removeEventListener: (type: 'online' | 'offline', listener: () => void) => void
}

export interface SupervisorOptions {
  /** How often the clock ticks and the heartbeat looks at the silence. */
  tickMs?: number
  network?: NetworkEvents
  isOnline?: () => boolean
  random?: () => number
  log?: (line: string) => void
}

const DEFAULT_TICK_MS = 1000

/** `base · (1 ± factor)`, as socket.io's own backoff spreads its waits. */
export function jitteredDelayMs(baseMs: number, factor: number, random: () => number = Math.random): number {
  return Math.round(baseMs * (1 + factor * (2 * random() - 1)))
}

/**
 * Keeps the one socket connected, whatever happens, and tells the link what
 * state it is in. socket.io reconnects by itself after a lost transport; this
 * covers what it does not:
 * - the server kicked us (`io server disconnect`): socket.io stops for good, so
 *   reconnect after a jittered, growing delay (a server that keeps kicking is not hammered);
 * - the server refused the namespace (a future auth middleware): same;
 * - the manager's attempts ran out (`reconnect_failed`, see RECONNECT_CYCLE_ATTEMPTS): start a new cycle;
 * - the browser is back online: try at once instead of waiting out the backoff;
 * - a half-open connection (the socket claims to be up, nothing arrives):
 *   after twice the stale threshold of silence, close the transport so
 *   socket.io reconnects, and the subscriptions resubscribe.
 * Connects the socket; returns a function that removes every listener and timer it added.
 */
export function superviseConnection(socket: IocSocket, link: ConnectionLink, options: SupervisorOptions = {}): () => void {
  const random = options.random ?? Math.random
  const isOnline = options.isOnline ?? (() => globalThis.navigator?.onLine ?? true)
  const log = options.log ?? ((line: string) => console.warn(`[realtime] ${line}`))
  let retryTimer: ReturnType<typeof setTimeout> | undefined
  /** Consecutive kicks or refusals, for the growing delay; cleared by a connection that lasts. */
  let refusals = 0
  let connectedSince: number | null = null

  function cancelRetry(): void {
    clearTimeout(retryTimer)
    retryTimer = undefined
  }
  /** A fresh attempt now: cancels whatever wait the manager was in, then opens. */
  function reconnectNow(): void {
    cancelRetry()
    if (socket.connected)
      return
    link.connecting({ reconnect: true })
    socket.disconnect()
    socket.connect()
  }
  function reconnectLater(why: string): void {
    const baseMs = Math.min(RECONNECT_DELAY_MAX_MS, RECONNECT_DELAY_MS * 2 ** refusals)
    refusals += 1
    const delayMs = jitteredDelayMs(baseMs, RECONNECT_RANDOMIZATION, random)
    log(`${why}; reconnecting in ${delayMs} ms`)
    cancelRetry()
    retryTimer = setTimeout(reconnectNow, delayMs)
  }

  const onConnect = (): void => {
    cancelRetry()
    connectedSince = Date.now()
    link.connected()
  }
  const onDisconnect = (reason: string): void => {
    if (connectedSince !== null && Date.now() - connectedSince >= RECONNECT_DELAY_MAX_MS)
      refusals = 0
    connectedSince = null
    link.disconnected()
    if (reason === 'io server disconnect')
      reconnectLater('the server closed the connection')
  }
  const onConnectError = (err: Error): void => {
    link.disconnected()
    if (!socket.active)
      reconnectLater(`the server refused the connection (${err.message})`)
  }
  const onReconnectAttempt = (): void => link.connecting({ reconnect: true })
  const onReconnectFailed = (): void => reconnectLater('reconnect attempts ran out')
  const onOnline = (): void => {
    link.setBrowserOnline(true)
    reconnectNow()
  }
  const onOffline = (): void => link.setBrowserOnline(false)

  socket.on('connect', onConnect)
  socket.on('disconnect', onDisconnect)
  socket.on('connect_error', onConnectError)
  socket.io.on('reconnect_attempt', onReconnectAttempt)
  socket.io.on('reconnect_failed', onReconnectFailed)
  options.network?.addEventListener('online', onOnline)
  options.network?.addEventListener('offline', onOffline)

  const clock = setInterval(() => {
    link.tick()
    if (socket.connected && link.presumedDead) {
      log('connected but silent for too long; replacing the connection')
      // The manager sees a closed transport and reconnects with its backoff; the socket stays active.
      socket.io.engine.close()
    }
  }, options.tickMs ?? DEFAULT_TICK_MS)

  link.setBrowserOnline(isOnline())
  link.connecting({ reconnect: false })
  socket.connect()

  return () => {
    clearInterval(clock)
    cancelRetry()
    socket.off('connect', onConnect)
    socket.off('disconnect', onDisconnect)
    socket.off('connect_error', onConnectError)
    socket.io.off('reconnect_attempt', onReconnectAttempt)
    socket.io.off('reconnect_failed', onReconnectFailed)
    options.network?.removeEventListener('online', onOnline)
    options.network?.removeEventListener('offline', onOffline)
  }
}
