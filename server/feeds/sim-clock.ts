/** Simulated time: starts at `start` and runs `speed` times faster than the real clock. */
export interface SimClock {
  /** Simulated epoch milliseconds. */
  now: () => number
}

export function createSimClock(speed: number, start: number = Date.now(), realNow: () => number = Date.now): SimClock {
  const realStart = realNow()
  return { now: () => start + (realNow() - realStart) * speed }
}
