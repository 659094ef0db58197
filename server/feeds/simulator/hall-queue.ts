import type { RatingCounts, RatingLevel } from '@shared/schemas/halls'
import { MINUTE_MS } from './china-time'

export interface Ticket {
  issuedAt: number
  serviceMin: number
  /** Set when called. */
  waitMin?: number
  /** It waited while the hall's system was down: its holder is likelier to give a 差评. */
  hitByOutage?: boolean
}

interface Window {
  open: boolean
  /** When the window was last free (or opened). */
  freeAt: number
  serving: Ticket | null
  busyUntil: number
}

/** A hall's queue counters; they start again at local midnight. */
export interface DayCounters {
  tickets: number
  served: number
  called: number
  waitSumMin: number
  maxCalledWaitMin: number
  serviceSumMin: number
  ratings: RatingCounts
}

function emptyRatings(): RatingCounts {
  return { verySatisfied: 0, satisfied: 0, basic: 0, dissatisfied: 0, veryDissatisfied: 0 }
}

/**
 * One hall's ticket queue and windows: tickets are called first come, first
 * served by whichever open window is free; the hall decides how many
 * windows to staff and whether it can call at all.
 */
export class HallQueue {
  private queue: Ticket[] = []
  private head = 0
  private readonly windows: Window[]
  day = ''
  counters: DayCounters = HallQueue.emptyCounters()

  constructor(windowCount: number) {
    this.windows = Array.from({ length: windowCount }, () => ({ open: false, freeAt: 0, serving: null, busyUntil: 0 }))
  }

  static emptyCounters(): DayCounters {
    return { tickets: 0, served: 0, called: 0, waitSumMin: 0, maxCalledWaitMin: 0, serviceSumMin: 0, ratings: emptyRatings() }
  }

  get waiting(): number {
    return this.queue.length - this.head
  }

  get windowsOpen(): number {
    return this.windows.reduce((n, w) => n + (w.open ? 1 : 0), 0)
  }

  /** A new local day: counters start from zero; nobody is left from the night. */
  startDay(date: string): void {
    this.day = date
    this.counters = HallQueue.emptyCounters()
    this.clearQueue()
  }

  issue(ticket: Ticket): void {
    this.queue.push(ticket)
    this.counters.tickets++
  }

  /** Everyone still waiting at closing goes home (过号). */
  clearQueue(): void {
    this.queue = []
    this.head = 0
  }

  /** Marks every waiting ticket as held up by an outage. */
  markWaitingHit(): void {
    for (let i = this.head; i < this.queue.length; i++) {
      const ticket = this.queue[i]
      if (ticket)
        ticket.hitByOutage = true
    }
  }

  /** Staffs `target` windows: opens closed ones at once, closes only idle ones. */
  staff(target: number, t: number): void {
    let open = this.windowsOpen
    for (const w of this.windows) {
      if (open < target && !w.open) {
        w.open = true
        w.freeAt = t
        open++
      }
      else if (open > target && w.open && !w.serving) {
        w.open = false
        open--
      }
    }
  }

  /** Closing time: every window shuts; a service under way still finishes. */
  closeAll(): void {
    for (const w of this.windows)
      w.open = false
  }

  /**
   * Runs the windows over [from, to): finishes services, calls the next
   * tickets when `canCall`. `done` hears of each finished ticket.
   */
  serve(from: number, to: number, canCall: boolean, done: (ticket: Ticket) => void): void {
    for (const w of this.windows) {
      for (;;) {
        if (w.serving) {
          if (w.busyUntil > to)
            break
          this.finish(w.serving)
          done(w.serving)
          w.serving = null
          w.freeAt = w.busyUntil
        }
        const next = this.queue[this.head]
        if (!w.open || !canCall || !next)
          break
        const callAt = Math.max(w.freeAt, next.issuedAt, from)
        if (callAt >= to)
          break
        this.head++
        this.call(next, callAt)
        w.serving = next
        w.busyUntil = callAt + next.serviceMin * MINUTE_MS
      }
    }
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue = this.queue.slice(this.head)
      this.head = 0
    }
  }

  /** Open windows serving someone at t. */
  busyAt(t: number): number {
    return this.windows.reduce((n, w) => n + (w.open && w.serving && w.busyUntil > t ? 1 : 0), 0)
  }

  /** The longest wait of anyone still waiting at t, minutes; 0 when nobody waits. */
  longestWaitingMin(t: number): number {
    const first = this.queue[this.head]
    return first ? Math.max(0, (t - first.issuedAt) / MINUTE_MS) : 0
  }

  addRating(level: RatingLevel): void {
    this.counters.ratings[level]++
  }

  private call(ticket: Ticket, at: number): void {
    const waitMin = (at - ticket.issuedAt) / MINUTE_MS
    ticket.waitMin = waitMin
    this.counters.called++
    this.counters.waitSumMin += waitMin
    this.counters.maxCalledWaitMin = Math.max(this.counters.maxCalledWaitMin, waitMin)
  }

  private finish(ticket: Ticket): void {
    this.counters.served++
    this.counters.serviceSumMin += ticket.serviceMin
  }
}
