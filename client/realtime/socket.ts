import { io } from 'socket.io-client'
import type { ManagerOptions, Socket, SocketOptions } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import type { ClientToServerEvents, ServerToClientEvents } from '@shared/realtime/events'

export type IocSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** The handshake credential; its shape is the server's business (security issue). */
export type HandshakeAuth = Record<string, unknown>

/**
 * Reconnection, as socket.io-client 4.8's manager does it (build/esm/manager.js
 * and contrib/backo2.js): attempt n waits `min(DELAY · 2^(n-1) · (1 ± RANDOMIZATION), DELAY_MAX)`.
 * - First retry after 1–3 s: a blip heals quickly, yet a server restart is
 *   not met by every wall within the same instant (the ±50 % jitter spreads them).
 * - Then 2–6 s, 4–10 s, and every 10 s: a wall is back at most ~10 s after
 *   its server, and a long outage costs the server one handshake per wall per 10 s.
 * The jitter is applied before the cap, so once capped every wall waits
 * exactly DELAY_MAX; the walls stay apart by the random sum of their earlier waits.
 */
export const RECONNECT_DELAY_MS = 2000
export const RECONNECT_DELAY_MAX_MS = 10_000
export const RECONNECT_RANDOMIZATION = 0.5
/**
 * backo2 computes `DELAY · 2^attempts` with no bound on `attempts`: past about
 * 1000 attempts (some 3 h offline at 10 s each) that overflows to Infinity,
 * the jitter turns it into NaN and the wait into 0, a tight loop. Capping the
 * attempts ends each cycle with `reconnect_failed`, and the supervisor starts
 * a fresh one, so the count never gets there.
 */
export const RECONNECT_CYCLE_ATTEMPTS = 500

export interface CreateSocketOptions {
  /** The server; the page's own origin when absent (the browser). */
  url?: string
  /**
   * The handshake credential, asked for at every connect and reconnect, so a
   * token refreshed in between is the one sent. socket.io calls
   * `socket.auth(cb)` before each CONNECT packet; the server reads it as
   * `socket.handshake.auth`: a ticket fetched through the signed-in session (client/stores/session.ts).
   */
  auth?: () => HandshakeAuth | Promise<HandshakeAuth>
  /** Headers of the handshake, for clients outside a browser (a browser sends its Origin itself). */
  extraHeaders?: Record<string, string>
}

/** The socket.io options of the one socket, for tests that make their own. */
export const SOCKET_OPTIONS = {
  autoConnect: false,
  // WebSocket only: no sticky sessions needed behind a balancer (reliability.md §2).
  transports: ['websocket'],
  reconnection: true,
  reconnectionDelay: RECONNECT_DELAY_MS,
  reconnectionDelayMax: RECONNECT_DELAY_MAX_MS,
  randomizationFactor: RECONNECT_RANDOMIZATION,
  reconnectionAttempts: RECONNECT_CYCLE_ATTEMPTS,
  // The server's wire encoding (server/realtime/gateway.ts): msgpack, 22 % fewer bytes than JSON (performance.md S-4).
  parser: msgpackParser,
} as const satisfies Partial<ManagerOptions & SocketOptions>

/** The application's one socket. Created by the realtime module, connected by its supervisor. */
export function createSocket(options: CreateSocketOptions = {}): IocSocket {
  const { auth, extraHeaders } = options
  const settings: Partial<ManagerOptions & SocketOptions> = {
    ...SOCKET_OPTIONS,
    transports: [...SOCKET_OPTIONS.transports],
    ...(extraHeaders ? { extraHeaders } : {}),
    ...(auth
      ? {
          auth: (cb: (data: object) => void) => {
            // A failing credential source must not stop the reconnect loop: connect without one and let the server decide.
            Promise.resolve().then(auth).then(cb, () => cb({}))
          },
        }
      : {}),
  }
  return options.url === undefined ? io(settings) : io(options.url, settings)
}
