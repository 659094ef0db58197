import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DueQueue } from './due-queue'

describe('DueQueue', () => {
  it('hands out exactly the items due, earliest first and in insertion order on ties', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 50 })), fc.array(fc.integer({ min: 0, max: 60 })), (dues, cuts) => {
      const queue = new DueQueue<number>()
      dues.forEach((due, i) => queue.push(due, i))
      const out: number[] = []
      for (const cut of [...cuts].sort((a, b) => a - b)) {
        const popped = queue.popDue(cut)
        expect(popped.every(i => (dues[i] ?? Infinity) <= cut)).toBe(true)
        out.push(...popped)
      }
      out.push(...queue.popDue(Infinity))
      const expected = dues.map((due, i) => ({ due, i })).sort((a, b) => a.due - b.due || a.i - b.i).map(x => x.i)
      expect(out).toEqual(expected)
      expect(queue.size).toBe(0)
    }))
  })
})
