/**
 * What the wall actually receives, counted from the page's own WebSocket
 * frames (CDP Network.webSocketFrameReceived): entity changes per stream,
 * the snapshots it was answered with, and when the last event arrived. The
 * frames are socket.io packets in msgpack (client/realtime/socket.ts).
 */
import { decode } from 'notepack.io'
import type { CDPSession } from 'playwright-core'

/** Streams whose events list entities; kpis and feed-health are whole-set replacements. */
const ENTITY_LISTS: Record<string, string> = {
  traffic: 'segments',
  air: 'readings',
  halls: 'halls',
  incidents: 'incidents',
  alerts: 'alerts',
}

/** socket.io packet types (socket.io-protocol v5). */
const EVENT = 2
const ACK = 3

interface Packet { type: number, data?: unknown }
interface Published { stream: string, data: Record<string, unknown> }

function listLength(data: unknown, key: string): number {
  const list = (data as Record<string, unknown> | null)?.[key]
  return Array.isArray(list) ? list.length : 0
}

export class FrameTally {
  /** Entities changed per stream since the last reset. */
  changes: Record<string, number> = {}
  events: Record<string, number> = {}
  bytes = 0
  frames = 0
  /** Entities in the newest snapshot answer per stream (what the wall holds after a subscribe). */
  readonly snapshots: Record<string, number> = {}
  snapshotCount = 0
  /** Epoch ms of the newest stream event (any stream). */
  lastEventAt = 0
  since = Date.now()
  undecodable = 0

  reset(): void {
    this.changes = {}
    this.events = {}
    this.bytes = 0
    this.frames = 0
    this.since = Date.now()
  }

  /** Entity changes per second since the last reset, all entity streams together. */
  rate(now = Date.now()): number {
    const total = Object.values(this.changes).reduce((a, b) => a + b, 0)
    return total / Math.max(0.001, (now - this.since) / 1000)
  }

  /** One binary frame as the page received it. */
  take(payload: Buffer, at = Date.now()): void {
    this.frames++
    this.bytes += payload.length
    let packet: Packet
    try {
      packet = decode(payload) as Packet
    }
    catch {
      this.undecodable++
      return
    }
    const data = Array.isArray(packet.data) ? packet.data : []
    if (packet.type === EVENT && data[0] === 'stream:published')
      this.published(data[1] as Published, at)
    else if (packet.type === ACK)
      this.answered(data[0])
  }

  private published(event: Published, at: number): void {
    this.events[event.stream] = (this.events[event.stream] ?? 0) + 1
    this.lastEventAt = at
    const key = ENTITY_LISTS[event.stream]
    if (key)
      this.changes[event.stream] = (this.changes[event.stream] ?? 0) + listLength(event.data, key)
  }

  /** A subscribe answer: a snapshot (counted as held), or the missed events (counted as changes). */
  private answered(reply: unknown): void {
    const answer = reply as { ok?: boolean, data?: { stream?: string, mode?: string, snapshot?: unknown, events?: Published[] } } | undefined
    const result = answer?.ok ? answer.data : undefined
    const stream = result?.stream
    if (!stream)
      return
    const key = ENTITY_LISTS[stream]
    if (result.mode === 'snapshot') {
      this.snapshotCount++
      this.snapshots[stream] = key ? listLength(result.snapshot, key) : 1
    }
    else if (result.mode === 'events' && key) {
      for (const event of result.events ?? [])
        this.changes[stream] = (this.changes[stream] ?? 0) + listLength(event.data, key)
    }
  }
}

/** Feeds a tally from the page's WebSocket frames (Network must be enabled on the session). */
export function tallyFrames(cdp: CDPSession, tally: FrameTally): void {
  cdp.on('Network.webSocketFrameReceived', ({ response }) => {
    // Opcode 2: binary, base64 in payloadData; text frames are engine.io's pings and handshake.
    if (response.opcode === 2)
      tally.take(Buffer.from(response.payloadData, 'base64'))
  })
}
