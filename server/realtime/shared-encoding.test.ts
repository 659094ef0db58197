import { encode } from 'notepack.io'
import { describe, expect, it } from 'vitest'
import { encodeOnce, sharedEncodingParser } from './shared-encoding'

const encoder = new sharedEncodingParser.Encoder()
const big = (n: number): Record<string, unknown> => ({ stream: 'traffic', seq: 7, snapshot: { segments: Array.from({ length: n }, (_, i) => [`DG-R-${i}`, i % 90, 'smooth']), city: null, note: undefined } })

describe('shared-encoding parser', () => {
  it.each([
    ['an event packet', { type: 2, data: ['stream:published', big(3)], nsp: '/' }],
    ['an ack with a marked answer', { type: 3, id: 12, data: [encodeOnce(big(3))], nsp: '/' }],
    ['an ack with a marked answer of 70,000 elements', { type: 3, id: 70_000, data: [encodeOnce(big(70_000))], nsp: '/' }],
    ['a packet with 20 data elements, some marked', { type: 2, data: Array.from({ length: 20 }, (_, i) => (i % 3 === 0 ? encodeOnce(big(i)) : big(i))), nsp: '/admin', options: { compress: true }, fn: () => 1 }],
  ])('writes %s byte for byte as the plain msgpack parser does', (_what, packet) => {
    expect(Buffer.concat(encoder.encode(packet as Record<string, unknown>)).equals(encode(packet))).toBe(true)
  })

  it('encodes a marked answer once, however many sockets it goes to', () => {
    const answer = encodeOnce(big(10))
    const first = encoder.encode({ type: 3, id: 1, data: [answer], nsp: '/' })[0] as Buffer
    // Were it encoded again, the change would show; it is kept (which is why a marked value must never change).
    ;(answer.snapshot as { segments: unknown[] }).segments.length = 0
    const second = encoder.encode({ type: 3, id: 2, data: [answer], nsp: '/' })[0] as Buffer
    expect(second.length).toBe(first.length)
    const decoded = new sharedEncodingParser.Decoder()
    const packets: unknown[] = []
    decoded.on('decoded', p => packets.push(p))
    decoded.add(second)
    expect(packets).toEqual([{ type: 3, id: 2, nsp: '/', data: [big(10)] }])
  })
})
