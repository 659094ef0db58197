import { Redis } from 'ioredis'

/** A leader that cannot renew for this long has lost its lease; another node may take over. */
export const LEASE_TTL_MS = 5000
/** Renewals (and, on other nodes, attempts to take the lease) this often. */
const RENEW_MS = 1000
/** A leader steps down this long before its lease could have expired in Redis, so two leaders never overlap. */
const SAFETY_MS = 1000

/** Extends the lease only if this node still holds it. */
const RENEW_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`
/** Gives the lease up only if this node holds it. */
const RELEASE_LUA = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`

interface LeaseRedis extends Redis {
  leaseRenew: (key: string, value: string, ttlMs: number) => Promise<number>
  leaseRelease: (key: string, value: string) => Promise<number>
}

export interface LeaderLeaseOptions {
  url: string
  key: string
  /** What the lease holds: this node's id and the address other nodes pass pushes on to. */
  holder: { nodeId: string, url: string }
  onChange: (leader: boolean) => void
  ttlMs?: number
}

/**
 * The leader lease of several nodes: one key in Redis, set if absent with a
 * time to live and renewed by its holder. The holder runs the feeds, so
 * telemetry is ingested once; when it dies the key expires and another
 * node takes it within the time to live.
 */
export class LeaderLease {
  private readonly redis: LeaseRedis
  private readonly value: string
  private readonly ttlMs: number
  private timer: NodeJS.Timeout | undefined
  private held = false
  private renewedAt = 0

  constructor(private readonly options: LeaderLeaseOptions) {
    this.redis = new Redis(options.url, { connectionName: 'ioc-lease', maxRetriesPerRequest: 1 }) as LeaseRedis
    this.redis.defineCommand('leaseRenew', { numberOfKeys: 1, lua: RENEW_LUA })
    this.redis.defineCommand('leaseRelease', { numberOfKeys: 1, lua: RELEASE_LUA })
    this.redis.on('error', () => {}) // reported through failed renewals below
    this.value = JSON.stringify(options.holder)
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS
  }

  get isLeader(): boolean {
    return this.held
  }

  start(): void {
    void this.round()
    this.timer = setInterval(() => void this.round(), Math.min(RENEW_MS, this.ttlMs / 3))
  }

  /** The holder now, as the lease says (null when nobody holds it). */
  async holder(): Promise<{ nodeId: string, url: string } | null> {
    const value = await this.redis.get(this.options.key)
    return value ? JSON.parse(value) as { nodeId: string, url: string } : null
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    if (this.held) {
      this.set(false)
      // Handing over at once: the next node need not wait out the time to live.
      await this.redis.leaseRelease(this.options.key, this.value).catch(() => {})
    }
    await this.redis.quit().catch(() => this.redis.disconnect())
  }

  private async round(): Promise<void> {
    try {
      if (this.held) {
        const renewed = await this.redis.leaseRenew(this.options.key, this.value, this.ttlMs)
        if (renewed === 1)
          this.renewedAt = Date.now()
        else
          this.set(false)
      }
      else if (await this.redis.set(this.options.key, this.value, 'PX', this.ttlMs, 'NX') === 'OK') {
        this.renewedAt = Date.now()
        this.set(true)
      }
    }
    catch (err) {
      if (this.held)
        console.error(`[cluster] renewing the leader lease failed: ${(err as Error).message}`)
    }
    if (this.held && Date.now() - this.renewedAt > this.ttlMs - SAFETY_MS)
      this.set(false)
  }

  private set(leader: boolean): void {
    if (leader === this.held)
      return
    this.held = leader
    console.log(`[cluster] ${this.options.holder.nodeId} ${leader ? 'holds the leader lease: feeds run here' : 'no longer holds the leader lease'}`)
    this.options.onChange(leader)
  }
}
