/** notepack.io 2.2 (no types of its own): the msgpack codec under socket.io-msgpack-parser. */
declare module 'notepack.io' {
  export function encode(value: unknown): Buffer
  export function decode(buffer: Uint8Array): unknown
}
