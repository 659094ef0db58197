/**
 * The benchmark's traffic: a partner system pushing segment speeds through
 * the server's real ingest path (a signed webhook feed, POST /api/feeds/<id>),
 * spread evenly over time. A real detector network reports in rounds; an
 * even spread is the reference load's "1,000 entity changes per second",
 * and every record changes what a wall shows (its whole km/h, often its
 * grade), so that the server has a change to pass on for each one.
 */
import { performance } from 'node:perf_hooks'
import type { RoadSegment } from '@shared/schemas/city'
import type { TrafficObservation } from '@shared/schemas/traffic'
import { Random } from '@server/feeds/random'
import { signWebhook } from '@server/feeds/webhook.feed'

export interface TrafficFeedOptions {
  /** The server's own address (not the wall's proxy: dropping the wall's connections must not stop the feed). */
  url: string
  feedId: string
  secret: string
  roads: readonly Pick<RoadSegment, 'id' | 'freeFlowKmh'>[]
  changesPerSecond: number
  /** Requests per second; the changes are shared among them. */
  pushesPerSecond: number
  seed: number
}

export interface TrafficFeedCounts {
  requests: number
  records: number
  accepted: number
  rejected: number
  duplicates: number
  late: number
  /** Requests answered with anything but 202, or not answered. */
  failed: number
  /** Rounds skipped because earlier requests were still unanswered (the server fell behind). */
  skipped: number
}

/** At most this many requests unanswered: past it the server is behind and the feed waits rather than piles on. */
const MAX_IN_FLIGHT = 4
/** A congestion ratio walks by about this much per report, and is pulled back towards the usual. */
const RATIO_STEP = 0.08
const RATIO_USUAL = 0.7
const RATIO_PULL = 0.1

/**
 * Pushes signed traffic batches at a fixed mean rate; the segments take
 * turns, so each one reports every roads/rate seconds with a newer time.
 */
export class TrafficFeed {
  readonly counts: TrafficFeedCounts = { requests: 0, records: 0, accepted: 0, rejected: 0, duplicates: 0, late: 0, failed: 0, skipped: 0 }
  private readonly rng: Random
  private readonly ratio: Float64Array
  private readonly shown: Int32Array
  private next = 0
  private timer: NodeJS.Timeout | undefined
  private started = 0
  private sent = 0
  private inFlight = new Set<Promise<void>>()

  constructor(private readonly options: TrafficFeedOptions) {
    this.rng = new Random(options.seed)
    this.ratio = Float64Array.from(options.roads, () => this.rng.between(0.4, 1))
    this.shown = new Int32Array(options.roads.length).fill(-1)
  }

  start(): void {
    this.started = performance.now()
    this.sent = 0
    this.timer = setInterval(() => this.round(), 1000 / this.options.pushesPerSecond)
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await Promise.all(this.inFlight)
  }

  /** Records due since the start that were not sent yet: timer drift never changes the mean rate. */
  private round(): void {
    const due = Math.floor(((performance.now() - this.started) / 1000) * this.options.changesPerSecond) - this.sent
    if (due <= 0)
      return
    if (this.inFlight.size >= MAX_IN_FLIGHT) {
      this.counts.skipped++
      return
    }
    const records = Array.from({ length: Math.min(due, this.options.roads.length) }, () => this.observe())
    this.sent += due
    const request = this.push(records).finally(() => this.inFlight.delete(request))
    this.inFlight.add(request)
  }

  /** The next segment's report: a new speed whose whole km/h differs from the last one sent. */
  private observe(): TrafficObservation {
    const i = this.next
    this.next = (this.next + 1) % this.options.roads.length
    const road = this.options.roads[i] as Pick<RoadSegment, 'id' | 'freeFlowKmh'>
    const r = (this.ratio[i] ?? RATIO_USUAL) + RATIO_STEP * this.rng.normal() + RATIO_PULL * (RATIO_USUAL - (this.ratio[i] ?? RATIO_USUAL))
    this.ratio[i] = Math.min(1, Math.max(0.1, r))
    let speed = Math.max(1, Math.round(road.freeFlowKmh * (this.ratio[i] ?? RATIO_USUAL)))
    if (speed === this.shown[i])
      speed += speed > 1 ? -1 : 1
    this.shown[i] = speed
    return { segmentId: road.id, observedAt: new Date().toISOString(), speedKmh: speed }
  }

  private async push(records: TrafficObservation[]): Promise<void> {
    const body = JSON.stringify({ kind: 'traffic', records })
    const timestamp = Math.floor(Date.now() / 1000)
    this.counts.requests++
    this.counts.records += records.length
    try {
      const res = await fetch(`${this.options.url}/api/feeds/${this.options.feedId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ioc-timestamp': String(timestamp), 'x-ioc-signature': signWebhook(this.options.secret, timestamp, body) },
        body,
      })
      if (res.status !== 202) {
        this.counts.failed++
        await res.body?.cancel()
        return
      }
      const receipt = await res.json() as { accepted: number, rejected: number, duplicates: number, late: number }
      this.counts.accepted += receipt.accepted
      this.counts.rejected += receipt.rejected
      this.counts.duplicates += receipt.duplicates
      this.counts.late += receipt.late
    }
    catch {
      this.counts.failed++
    }
  }
}
