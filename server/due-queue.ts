/** Items waiting for their time: a binary min-heap on `due` (epoch ms), ties in insertion order. */
export class DueQueue<T> {
  private heap: { due: number, seq: number, item: T }[] = []
  private seq = 0

  get size(): number {
    return this.heap.length
  }

  push(due: number, item: T): void {
    this.heap.push({ due, seq: this.seq++, item })
    this.up(this.heap.length - 1)
  }

  /** Removes and returns every item due at or before `t`, earliest first. */
  popDue(t: number): T[] {
    const out: T[] = []
    while (this.heap.length > 0 && (this.heap[0]?.due ?? Infinity) <= t) {
      const top = this.heap[0]
      const last = this.heap.pop()
      if (this.heap.length > 0 && last)
        this.heap[0] = last
      this.down(0)
      if (top)
        out.push(top.item)
    }
    return out
  }

  private less(i: number, j: number): boolean {
    const a = this.heap[i]
    const b = this.heap[j]
    if (!a || !b)
      return false
    return a.due < b.due || (a.due === b.due && a.seq < b.seq)
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]
    const b = this.heap[j]
    if (a && b) {
      this.heap[i] = b
      this.heap[j] = a
    }
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.less(i, parent))
        return
      this.swap(i, parent)
      i = parent
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < this.heap.length && this.less(l, m))
        m = l
      if (r < this.heap.length && this.less(r, m))
        m = r
      if (m === i)
        return
      this.swap(i, m)
      i = m
    }
  }
}
