import type { FeedHealth, FeedStatus } from '@shared/schemas/feeds'
import type { AdapterKind, ConnectionState } from '@server/feeds/types'
import type { IngestObserver } from '@server/ingest/ingest'

/** Rates are counted over this window, in one-second buckets. */
const RATE_WINDOW_S = 60
/** A feed whose rejects exceed this share of what it sent in the window is degraded… */
const DEGRADED_REJECT_SHARE = 0.05
/** …once there are at least this many, so one bad record in a quiet minute does not flap the status. */
const DEGRADED_MIN_REJECTS = 5

export interface FeedInfo {
  id: string
  adapter: AdapterKind
  /** No record for this long makes the feed stale. */
  staleAfterMs: number
}

interface Bucket { second: number, records: number, rejects: number }

interface Tracked {
  info: FeedInfo
  connection: ConnectionState
  connectionDetail: string | null
  since: number
  lastRecordAt: number | null
  lagMs: number | null
  buckets: Bucket[]
  totals: FeedHealth['totals']
}

/**
 * What each feed is doing: the adapter's connection, what ingest counted,
 * and whether records keep coming. Push feeds (webhook, NGSI) have no
 * connection of their own: they are judged by what arrives.
 */
export class FeedHealthMonitor implements IngestObserver {
  private readonly feeds = new Map<string, Tracked>()

  constructor(private readonly now: () => number = Date.now) {}

  register(info: FeedInfo): void {
    const push = info.adapter === 'webhook' || info.adapter === 'ngsi'
    this.feeds.set(info.id, {
      info,
      connection: push ? 'connected' : 'connecting',
      connectionDetail: null,
      since: this.now(),
      lastRecordAt: null,
      lagMs: null,
      buckets: [],
      totals: { received: 0, accepted: 0, rejected: 0, duplicates: 0, late: 0, coalesced: 0 },
    })
  }

  setConnection(id: string, state: ConnectionState, detail?: string): void {
    const feed = this.feeds.get(id)
    if (!feed)
      return
    feed.connection = state
    feed.connectionDetail = detail ?? null
  }

  counted: IngestObserver['counted'] = (source, counts, lagMs) => {
    const feed = this.feeds.get(source)
    if (!feed)
      return
    const now = this.now()
    for (const key of Object.keys(feed.totals) as (keyof FeedHealth['totals'])[])
      feed.totals[key] += counts[key]
    const delivered = counts.accepted + counts.duplicates
    if (delivered > 0)
      feed.lastRecordAt = now
    if (lagMs !== null)
      feed.lagMs = lagMs
    const bucket = this.bucket(feed, Math.floor(now / 1000))
    bucket.records += counts.received
    bucket.rejects += counts.rejected
  }

  /** Every feed's health now. */
  snapshot(): FeedHealth[] {
    return [...this.feeds.values()].map(feed => this.health(feed))
  }

  get(id: string): FeedHealth | undefined {
    const feed = this.feeds.get(id)
    return feed ? this.health(feed) : undefined
  }

  private health(feed: Tracked): FeedHealth {
    const now = this.now()
    const horizon = Math.floor(now / 1000) - RATE_WINDOW_S
    feed.buckets = feed.buckets.filter(b => b.second > horizon)
    const records = feed.buckets.reduce((n, b) => n + b.records, 0)
    const rejects = feed.buckets.reduce((n, b) => n + b.rejects, 0)
    const windowS = Math.min(RATE_WINDOW_S, Math.max(1, (now - feed.since) / 1000))
    const { status, detail } = this.judge(feed, now, records, rejects)
    return {
      id: feed.info.id,
      adapter: feed.info.adapter,
      status,
      detail,
      lastRecordAt: feed.lastRecordAt === null ? null : new Date(feed.lastRecordAt).toISOString(),
      recordsPerSec: round2(records / windowS),
      rejectsPerSec: round2(rejects / windowS),
      lagS: feed.lagMs === null ? null : Math.round(feed.lagMs / 100) / 10,
      totals: { ...feed.totals },
    }
  }

  private judge(feed: Tracked, now: number, records: number, rejects: number): { status: FeedStatus, detail: string | null } {
    if (feed.connection === 'failed')
      return { status: 'down', detail: feed.connectionDetail ?? 'connection failed' }
    const silentMs = now - (feed.lastRecordAt ?? feed.since)
    if (silentMs > feed.info.staleAfterMs) {
      const what = feed.lastRecordAt === null ? 'no record yet' : `no record for ${Math.round(silentMs / 1000)} s`
      const why = feed.connection === 'connected' ? '' : ` (${feed.connection}${feed.connectionDetail ? `: ${feed.connectionDetail}` : ''})`
      return { status: feed.connection === 'connected' ? 'stale' : 'down', detail: `${what}${why}` }
    }
    if (feed.connection === 'retrying')
      return { status: 'degraded', detail: feed.connectionDetail ?? 'retrying' }
    if (rejects >= DEGRADED_MIN_REJECTS && rejects > records * DEGRADED_REJECT_SHARE)
      return { status: 'degraded', detail: `${rejects} of ${records} records rejected in the last minute` }
    if (feed.connection === 'connecting')
      return { status: 'degraded', detail: 'connecting' }
    return { status: 'up', detail: null }
  }

  private bucket(feed: Tracked, second: number): Bucket {
    const last = feed.buckets.at(-1)
    if (last && last.second === second)
      return last
    const bucket = { second, records: 0, rejects: 0 }
    feed.buckets.push(bucket)
    if (feed.buckets.length > RATE_WINDOW_S + 1)
      feed.buckets.shift()
    return bucket
  }
}

function round2(n: number): number {
  return Math.round(n * 100) / 100
}
