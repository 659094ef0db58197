import { encode } from 'notepack.io'
import msgpackParser from 'socket.io-msgpack-parser'

/**
 * socket.io-msgpack-parser with one addition: a value marked with
 * `encodeOnce` is encoded the first time a packet carries it and its bytes
 * are reused for every later packet, since msgpack encodes an array element
 * the same wherever it sits. After a restart a thousand walls ask for the
 * same snapshots at the same sequence; encoding each answer once per socket
 * was a third of the server's CPU in that storm (bench:transport).
 * The packets it writes are byte for byte those of the plain parser.
 */
const marked = new WeakSet<object>()
const bytesOf = new WeakMap<object, Buffer>()

/** Marks a value sent unchanged to many sockets. It must never change afterwards: its bytes are kept. */
export function encodeOnce<T extends object>(value: T): T {
  marked.add(value)
  return value
}

/** Whether `encodeOnce` marked the value. */
export const isMarked = (value: unknown): value is object => typeof value === 'object' && value !== null && marked.has(value)

function encodedOnce(value: object): Buffer {
  let bytes = bytesOf.get(value)
  if (!bytes) {
    bytes = encode(value)
    bytesOf.set(value, bytes)
  }
  return bytes
}

/** A msgpack array or map header (notepack's choice of widths). */
function header(length: number, fix: number, wide16: number): Buffer {
  if (length < 0x10)
    return Buffer.from([fix | length])
  if (length < 0x10000)
    return Buffer.from([wide16, length >> 8, length & 0xFF])
  const b = Buffer.alloc(5)
  b[0] = wide16 + 1
  b.writeUInt32BE(length, 1)
  return b
}

class Encoder {
  encode(packet: Record<string, unknown>): Buffer[] {
    const data = packet.data
    if (!Array.isArray(data) || !data.some(isMarked))
      return [encode(packet)]
    // The packet as notepack would write it (keys in order, functions left out), the data's marked elements from their kept bytes.
    const keys = Object.keys(packet).filter(key => typeof packet[key] !== 'function')
    const parts: Buffer[] = [header(keys.length, 0x80, 0xDE)]
    for (const key of keys) {
      parts.push(encode(key))
      if (key !== 'data') {
        parts.push(encode(packet[key]))
        continue
      }
      parts.push(header(data.length, 0x90, 0xDC))
      for (const element of data as unknown[])
        parts.push(isMarked(element) ? encodedOnce(element) : encode(element))
    }
    return [Buffer.concat(parts)]
  }
}

export const sharedEncodingParser = { protocol: msgpackParser.protocol, Encoder, Decoder: msgpackParser.Decoder }
