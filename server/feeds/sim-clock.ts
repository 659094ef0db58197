/** Simulated time: starts at `start` and runs `speed` times faster than the real clock. */
export interface SimClock {
  /** Simulated epoch milliseconds. */
  now: () => number
}

export function createSimClock(speed: number, start: number = Date.now(), realNow: () => number = Date.now): SimClock {
  const realStart = realNow()
  return { now: () => start + (realNow() - realStart) * speed }
}

/** A clock that moves only when told to: tests and the benchmark step simulated time without timers. */
export interface ManualClock extends SimClock {
  set: (t: number) => void
  advance: (ms: number) => number
}

export function createManualClock(start: number): ManualClock {
  let t = start
  return {
    now: () => t,
    set: (next) => { t = next },
    advance: (ms) => (t += ms),
  }
}
