import { io } from 'socket.io-client'
import type { Socket } from 'socket.io-client'
import type { ClientToServerEvents, ServerToClientEvents } from '@shared/realtime/events'

export type IocSocket = Socket<ServerToClientEvents, ClientToServerEvents>

/** The application's one socket. Created by the realtime module, connected once the stores are bound. */
export function createSocket(): IocSocket {
  return io({ autoConnect: false, transports: ['websocket'], reconnectionDelayMax: 5000 })
}
