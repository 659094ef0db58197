import express from 'express'
import type { Request, RequestHandler, Response } from 'express'

/** Marks a request one node passed on, so that it is never passed on twice. */
const FORWARDED_HEADER = 'x-ioc-forwarded-by'
/** Headers that belong to one connection and are not passed on. */
const HOP_BY_HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'upgrade', 'proxy-connection', 'te', 'trailer'])
const MAX_BODY_BYTES = 16 * 1024 * 1024
/** A leader that does not answer in this long is taken as gone; the sender retries. */
const FORWARD_TIMEOUT_MS = 30_000

export interface LeaderRouting {
  nodeId: string
  isLeader: () => boolean
  /** The leader's address, as its lease says; null while no node holds the lease. */
  leaderUrl: () => Promise<string | null>
}

/**
 * Passes requests that only the leader can serve (pushes into the feeds, the
 * simulator's drills) on to it, body and signature headers untouched. While
 * no node leads (a failover takes a few seconds) the answer is 503 with
 * Retry-After: pushes are retried by their senders and nothing is lost.
 */
export function forwardToLeader(routing: LeaderRouting): RequestHandler {
  const raw = express.raw({ type: () => true, limit: MAX_BODY_BYTES })
  return (req, res, next) => {
    if (routing.isLeader()) {
      next()
      return
    }
    raw(req, res, (err?: unknown) => {
      if (err)
        next(err)
      else
        void pass(req, res)
    })
  }

  async function pass(req: Request, res: Response): Promise<void> {
    {
      const refuse = (why: string) => res.status(503).set('Retry-After', '2').json({ error: why })
      if (req.headers[FORWARDED_HEADER]) {
        refuse('this node is not the leader either; the lease is changing hands, retry shortly')
        return
      }
      const leader = await routing.leaderUrl().catch(() => null)
      if (!leader) {
        refuse('no node holds the leader lease right now; retry shortly')
        return
      }
      const headers = new Headers()
      for (const [name, value] of Object.entries(req.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name))
          headers.set(name, Array.isArray(value) ? value.join(', ') : value)
      }
      headers.set(FORWARDED_HEADER, routing.nodeId)
      try {
        const body = Buffer.isBuffer(req.body) && req.body.length > 0 ? new Uint8Array(req.body) : undefined
        const answer = await fetch(new URL(req.originalUrl, leader), { method: req.method, headers, ...(body ? { body } : {}), signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) })
        res.status(answer.status)
        for (const name of ['content-type', 'retry-after', 'location']) {
          const value = answer.headers.get(name)
          if (value)
            res.set(name, value)
        }
        res.end(Buffer.from(await answer.arrayBuffer()))
      }
      catch (cause) {
        refuse(`the leader did not answer (${(cause as Error).message}); retry shortly`)
      }
    }
  }
}
