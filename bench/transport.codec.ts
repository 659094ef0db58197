/**
 * socket.io's two wire encodings side by side (performance.md S-4): the
 * default parser (JSON text) and socket.io-msgpack-parser (binary). What a
 * stream event costs on the wire and to encode (server, once per broadcast)
 * and decode (every client), measured on events captured from the running server.
 */
import { performance } from 'node:perf_hooks'
import msgpackParser from 'socket.io-msgpack-parser'
import * as jsonParser from 'socket.io-parser'
import { Decoder as JsonDecoder, Encoder as JsonEncoder, PacketType } from 'socket.io-parser'
import type { AnyStreamEvent } from '@shared/realtime/events'
import { sharedEncodingParser } from '@server/realtime/shared-encoding'
import type { StreamName } from '@shared/realtime/streams'

export const CODECS = ['json', 'msgpack'] as const
export type Codec = (typeof CODECS)[number]

/** The parser to give socket.io, server and client: always explicit, since the two sides' defaults differ (the gateway's is msgpack, socket.io's JSON). */
export function socketParser(codec: Codec): object {
  // msgpack as the server speaks it: socket.io-msgpack-parser, answers shared by many sockets encoded once.
  return codec === 'msgpack' ? sharedEncodingParser : jsonParser
}

interface PacketEncoder { encode: (packet: unknown) => (string | Uint8Array)[] }
interface PacketDecoder {
  add: (data: string | Uint8Array) => void
  on: (event: 'decoded', listener: (packet: unknown) => void) => void
}

function encoder(codec: Codec): PacketEncoder {
  return codec === 'msgpack' ? new msgpackParser.Encoder() as unknown as PacketEncoder : new JsonEncoder() as PacketEncoder
}

function decoder(codec: Codec): PacketDecoder {
  return codec === 'msgpack' ? new msgpackParser.Decoder() : new JsonDecoder()
}

const eventPacket = (event: AnyStreamEvent): unknown => ({ type: PacketType.EVENT, nsp: '/', data: ['stream:published', event] })

/**
 * The WebSocket message socket.io sends for a stream event: engine.io's
 * message prefix `4` before the text, binary frames as they are.
 */
export function wireFrame(codec: Codec, event: AnyStreamEvent): string | Uint8Array {
  const [payload] = encoder(codec).encode(eventPacket(event))
  return typeof payload === 'string' ? `4${payload}` : payload as Uint8Array
}

export function frameBytes(frame: string | Uint8Array): number {
  return typeof frame === 'string' ? Buffer.byteLength(frame) : frame.byteLength
}

/** Wire size of each event under a codec, computed once: every client receives the same event. */
export class WireSizes {
  private readonly sizes = new Map<string, number>()
  constructor(private readonly codec: Codec) {}

  of(event: AnyStreamEvent): number {
    const key = `${event.epoch}:${event.stream}:${event.seq}`
    let size = this.sizes.get(key)
    if (size === undefined) {
      size = frameBytes(wireFrame(this.codec, event))
      this.sizes.set(key, size)
      if (this.sizes.size > 10_000)
        this.sizes.clear()
    }
    return size
  }
}

export interface CodecCost {
  stream: StreamName
  codec: Codec
  /** Mean wire bytes of the stream's captured events. */
  bytes: number
  /** Mean µs to encode one event's packet (the server, once per broadcast). */
  encodeUs: number
  /** Mean µs to decode it (each client). */
  decodeUs: number
}

/** Runs `fn` over the items in rounds until `budgetMs` has passed; mean µs per item. */
function meanUs<T>(items: readonly T[], fn: (item: T) => void, budgetMs: number): number {
  for (const item of items)
    fn(item) // warm-up
  let n = 0
  const start = performance.now()
  while (performance.now() - start < budgetMs) {
    for (const item of items)
      fn(item)
    n += items.length
  }
  return ((performance.now() - start) * 1000) / n
}

/** Encode and decode cost of every stream's captured events under both codecs. */
export function codecCosts(events: readonly AnyStreamEvent[], budgetMs = 300): CodecCost[] {
  const byStream = new Map<StreamName, AnyStreamEvent[]>()
  for (const e of events)
    byStream.set(e.stream, [...(byStream.get(e.stream) ?? []), e])
  const costs: CodecCost[] = []
  for (const [stream, list] of byStream) {
    for (const codec of CODECS) {
      const enc = encoder(codec)
      const packets = list.map(eventPacket)
      // What the client's engine.io hands its decoder: the text without the prefix, or the binary frame.
      const received = packets.map(p => enc.encode(p)[0] as string | Uint8Array)
      const dec = decoder(codec)
      let decoded = 0
      dec.on('decoded', () => void decoded++)
      costs.push({
        stream,
        codec,
        bytes: list.reduce((sum, e) => sum + frameBytes(wireFrame(codec, e)), 0) / list.length,
        encodeUs: meanUs(packets, p => void enc.encode(p), budgetMs),
        decodeUs: meanUs(received, r => dec.add(r), budgetMs),
      })
      if (decoded === 0)
        throw new Error(`the ${codec} decoder decoded nothing`)
    }
  }
  return costs
}

/** Frames decoded by the load generator, by their exact content; bounded, it only has to span a window's events. */
const MEMO_LIMIT = 256
/** Below this a frame is decoded as it comes: cheap anyway, and it keeps the map to the frames that matter. */
const MEMO_MIN_SIZE = 1024
const decodedFrames = new Map<string, unknown>()

/**
 * The load generator's socket.io-client parser: the real decoder, but each
 * distinct stream event is decoded once for all walls instead of once per
 * wall. A thousand clients on one core would otherwise spend it decoding
 * (msgpack most: see the decode columns of (1)) and read their sockets too
 * slowly, and the server would look idle behind a lagging generator. Every
 * frame is still received whole over its own socket, and looked up by its
 * whole content (a Map compares long strings with memcmp), so no frame is
 * ever mistaken for another. Only stream events are shared: socket.io-client
 * changes an ack's packet in place (it prepends the error slot), so acks,
 * like small frames, are decoded as they come.
 */
export function generatorParser(codec: Codec): { Encoder: new () => PacketEncoder, Decoder: new () => PacketDecoder } {
  const Encoder = function (this: unknown) {
    return encoder(codec)
  } as unknown as new () => PacketEncoder
  class MemoDecoder implements PacketDecoder {
    private readonly inner = decoder(codec)
    private readonly listeners: ((packet: unknown) => void)[] = []
    private key: string | undefined

    constructor() {
      this.inner.on('decoded', (packet) => {
        if (this.key !== undefined && isStreamEvent(packet)) {
          if (decodedFrames.size >= MEMO_LIMIT)
            decodedFrames.clear()
          decodedFrames.set(this.key, packet)
        }
        this.deliver(packet)
      })
    }

    on(_event: 'decoded', listener: (packet: unknown) => void): void {
      this.listeners.push(listener)
    }

    off(): void {
      this.listeners.length = 0
    }

    add(data: string | Uint8Array): void {
      const size = typeof data === 'string' ? data.length : data.byteLength
      if (size < MEMO_MIN_SIZE) {
        this.inner.add(data)
        return
      }
      this.key = typeof data === 'string' ? data : Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1')
      const known = decodedFrames.get(this.key)
      if (known)
        this.deliver(known)
      else
        this.inner.add(data)
      this.key = undefined
    }

    destroy(): void {
      this.listeners.length = 0
    }

    private deliver(packet: unknown): void {
      for (const listener of this.listeners)
        listener(packet)
    }
  }
  return { Encoder, Decoder: MemoDecoder }
}

function isStreamEvent(packet: unknown): boolean {
  const p = packet as { type?: number, id?: number, data?: unknown[] }
  return p.type === PacketType.EVENT && p.id === undefined && p.data?.[0] === 'stream:published'
}
