import { createHmac, timingSafeEqual } from 'node:crypto'

/** One audit entry as stored: every column, JSON columns as their text. */
export interface AuditRow {
  seq: number
  at: string
  actor_id: string | null
  actor_name: string | null
  actor_roles: string
  actor_department: string | null
  client_ip: string | null
  action: string
  target_type: string | null
  target_id: string | null
  outcome: string
  before_json: string | null
  after_json: string | null
  prev_hash: string
  hash: string
}

export const GENESIS_HASH = '0'.repeat(64)

/**
 * The entry's hash: HMAC-SHA-256, keyed with a secret kept outside the
 * database (IOC_SECRET), over the previous hash and every column in a fixed
 * order. Without the key, whoever can write the database can still break
 * the chain but cannot mend it: an inserted, altered or rebuilt entry never
 * verifies (reliability.md §4.3: tamper-evident, and not rebuildable).
 */
export function auditHash(key: Buffer, row: Omit<AuditRow, 'hash'>): string {
  const fields = [row.seq, row.at, row.actor_id, row.actor_name, row.actor_roles, row.actor_department, row.client_ip, row.action, row.target_type, row.target_id, row.outcome, row.before_json, row.after_json]
  return createHmac('sha256', key).update(row.prev_hash).update('\n').update(JSON.stringify(fields)).digest('hex')
}

export interface ChainVerdict {
  ok: boolean
  checked: number
  headSeq: number | null
  headHash: string | null
  /** The first entry that does not verify (or is missing), and why. */
  brokenAt: number | null
  reason: string | null
}

/** Compared as bytes: a stored hash altered to other text of the same length must not make timingSafeEqual throw. */
function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/**
 * Walks the chain from the first entry; `rows` in seq order (read them in
 * pages and call `next` for each), `head` what audit_head holds at the end.
 */
export class ChainVerifier {
  private expectedSeq = 1
  private prevHash = GENESIS_HASH
  private broken: { seq: number, reason: string } | null = null
  private checked = 0

  constructor(private readonly key: Buffer) {}

  /** False once the chain has broken: nothing later needs reading. */
  next(row: AuditRow): boolean {
    if (this.broken)
      return false
    if (row.seq !== this.expectedSeq)
      return this.fail(this.expectedSeq, row.seq > this.expectedSeq ? `entry ${this.expectedSeq} is missing (the next one is ${row.seq})` : `entry ${row.seq} is out of order`)
    if (row.prev_hash !== this.prevHash)
      return this.fail(row.seq, `entry ${row.seq} does not follow entry ${row.seq - 1} (previous hash differs)`)
    if (!sameHash(auditHash(this.key, row), row.hash))
      return this.fail(row.seq, `entry ${row.seq} was altered (its hash does not verify)`)
    this.checked++
    this.expectedSeq++
    this.prevHash = row.hash
    return true
  }

  /** The verdict, given the head the database records. */
  finish(head: { seq: number, hash: string }): ChainVerdict {
    const last = this.expectedSeq - 1
    if (!this.broken && (head.seq !== last || head.hash !== this.prevHash)) {
      this.broken = head.seq > last
        ? { seq: last + 1, reason: `entries ${last + 1}–${head.seq} are missing (the head is at ${head.seq})` }
        : { seq: head.seq, reason: `the head (${head.seq}) disagrees with the last entry (${last})` }
    }
    return {
      ok: this.broken === null,
      checked: this.checked,
      headSeq: last > 0 ? last : null,
      headHash: last > 0 ? this.prevHash : null,
      brokenAt: this.broken?.seq ?? null,
      reason: this.broken?.reason ?? null,
    }
  }

  private fail(seq: number, reason: string): false {
    this.broken = { seq, reason }
    return false
  }
}
