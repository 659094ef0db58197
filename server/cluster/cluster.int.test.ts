/**
 * Several nodes for real: two server processes on the PostgreSQL and Redis of
 * this machine. One holds the leader lease and runs the feeds; a push to
 * the other is passed on to it; every node's clients get the same numbered
 * events. Then the leader dies by kill -9 while incidents keep coming: its
 * clients come back on the other node, resume from the sequence they hold,
 * and miss no incident change.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { io } from 'socket.io-client'
import msgpackParser from 'socket.io-msgpack-parser'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AnyStreamEvent, SubscribeResult } from '@shared/realtime/events'
import type { Incident } from '@shared/schemas/incidents'
import type { HttpSession } from '@server/auth/auth.support'
import { signIn } from '@server/auth/auth.support'
import { signWebhook, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@server/feeds'
import type { ClientSocket } from '@server/realtime/int.support'
import { connect, socketCredentials, subscribeOk } from '@server/realtime/int.support'
import { PG_TEST_URL, postgresProblem, redacted } from '@server/store/store.backends'
import type { NodeProcess } from './cluster.support'
import { deleteRedisKeys, REDIS_TEST_URL, redisProblem, startNode } from './cluster.support'

const SECRET = 'a-test-secret-for-the-cluster'
const run = randomBytes(5).toString('hex')
const SCHEMA = `ioc_cluster_${run}`
const PREFIX = `ioc-test-${run}`
const ENV = {
  IOC_DATABASE_URL: PG_TEST_URL,
  IOC_DATABASE_SCHEMA: SCHEMA,
  IOC_REDIS_URL: REDIS_TEST_URL,
  IOC_REDIS_PREFIX: PREFIX,
  // Incidents come only from the test's pushes, so every one of them is known.
  IOC_SIMULATOR: 'false',
  IOC_FEEDS: JSON.stringify([{ id: 'hook', adapter: 'webhook', secret: { value: SECRET } }]),
  // The nodes share sessions, tickets and the audit key; demo users give the test an operator's password.
  IOC_SECRET: randomBytes(24).toString('hex'),
  IOC_DEMO: 'true',
}

/** The operator's password, as the first node to start printed it. */
let operatorPassword = ''
/** An operator signed in on this node (the test's screens and REST calls). */
const operatorOn = (node: NodeProcess): Promise<HttpSession> => signIn(node.url, 'operator', operatorPassword)

let problem: string | undefined
const nodes: NodeProcess[] = []
const sockets: ClientSocket[] = []

beforeAll(async () => {
  const pgProblem = await postgresProblem(PG_TEST_URL)
  const rdProblem = await redisProblem(REDIS_TEST_URL)
  problem = pgProblem ? `PostgreSQL at ${redacted(PG_TEST_URL)}: ${pgProblem}` : rdProblem ? `Redis at ${REDIS_TEST_URL}: ${rdProblem}` : undefined
  if (problem && process.env.CI)
    throw new Error(`the cluster tests need ${problem}`)
  if (problem)
    console.warn(`[cluster] SKIPPED: ${problem}. Set IOC_TEST_DATABASE_URL / IOC_TEST_REDIS_URL; with CI set this fails.`)
})

afterAll(async () => {
  for (const socket of sockets)
    socket.disconnect()
  await Promise.all(nodes.map(n => n.stop()))
  if (problem)
    return
  await deleteRedisKeys(REDIS_TEST_URL, PREFIX)
  const client = new pg.Client({ connectionString: PG_TEST_URL })
  await client.connect()
  await client.query(`drop schema if exists "${SCHEMA}" cascade`)
  await client.end()
})

async function health(node: NodeProcess): Promise<{ leader?: boolean } | null> {
  try {
    return await (await fetch(`${node.url}/api/health`)).json() as { leader?: boolean }
  }
  catch {
    return null
  }
}

async function waitFor<T>(what: string, probe: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value)
      return value
    if (Date.now() > deadline)
      throw new Error(`gave up waiting for ${what}`)
    await new Promise(resolve => setTimeout(resolve, 100))
  }
}

/**
 * A screen's view of the incidents stream, as client/realtime/stream-subscription.ts
 * keeps it, but movable from one node to another: it carries its epoch and
 * sequence to whichever socket it is attached to.
 */
class IncidentWatcher {
  epoch: string | undefined
  seq: number | undefined
  readonly versions = new Map<string, string>()
  readonly answers: SubscribeResult['mode'][] = []
  gaps = 0
  private socket: ClientSocket | undefined

  async attach(node: NodeProcess): Promise<void> {
    const socket: ClientSocket = io(node.url, { transports: ['websocket'], reconnection: false, forceNew: true, autoConnect: false, parser: msgpackParser, ...socketCredentials(await operatorOn(node)) })
    sockets.push(socket)
    this.socket = socket
    socket.on('stream:published', event => this.receive(event))
    await connect(socket)
    await this.subscribe()
  }

  detach(): void {
    this.socket?.disconnect()
  }

  private async subscribe(): Promise<void> {
    const socket = this.socket!
    const result = await subscribeOk(socket, { stream: 'incidents', ...(this.epoch !== undefined && this.seq !== undefined ? { epoch: this.epoch, lastSeq: this.seq } : {}) })
    this.answers.push(result.mode)
    this.epoch = result.epoch
    if (result.mode === 'snapshot' && result.stream === 'incidents')
      this.take(result.snapshot.incidents)
    else if (result.mode === 'events')
      this.applyEvents(result.events)
    this.seq = result.seq
  }

  private applyEvents(events: AnyStreamEvent[]): void {
    for (const event of events) {
      if (event.stream === 'incidents' && (this.seq === undefined || event.seq > this.seq))
        this.take(event.data.incidents)
    }
  }

  private receive(event: AnyStreamEvent): void {
    if (event.stream !== 'incidents' || this.seq === undefined)
      return
    if (event.epoch !== this.epoch || event.seq !== this.seq + 1) {
      if (event.epoch === this.epoch && event.seq <= this.seq)
        return
      this.gaps++
      void this.subscribe()
      return
    }
    this.seq = event.seq
    this.take(event.data.incidents)
  }

  private take(incidents: Incident[]): void {
    for (const i of incidents) {
      const held = this.versions.get(i.ticketNo)
      if (!held || held < i.version)
        this.versions.set(i.ticketNo, i.version)
    }
  }
}

/** Pushes signed incident batches, each until some node answers 202: the one asked first, or the other. */
async function pushUntilStored(targets: () => NodeProcess[], ticketNo: string, version: string): Promise<void> {
  const report = { ticketNo, version, reportedAt: version, nature: 'complaint', topic: 'environment', title: `噪声扰民 ${ticketNo}`, location: { lng: 113.75, lat: 23.02 } }
  const body = JSON.stringify({ kind: 'incident', records: [report] })
  for (let attempt = 0; attempt < 400; attempt++) {
    const live = targets()
    const node = live[attempt % live.length]!
    const timestamp = Math.floor(Date.now() / 1000)
    try {
      const res = await fetch(`${node.url}/api/feeds/hook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signWebhook(SECRET, timestamp, body) },
        body,
        signal: AbortSignal.timeout(5000),
      })
      if (res.status === 202)
        return
      if (res.status !== 503)
        throw new Error(`push ${ticketNo} answered ${res.status}: ${await res.text()}`)
    }
    catch (err) {
      if (err instanceof Error && err.message.startsWith('push '))
        throw err
      // A dead node: connection refused or reset. The next attempt goes to another.
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`push ${ticketNo} never stored`)
}

describe('several nodes on real PostgreSQL and Redis', () => {
  it('one leader ingests; a change reaches the other node\'s clients; kill -9 of the leader loses no incident event', { timeout: 180_000 }, async (ctx) => {
    if (problem)
      return ctx.skip()
    const a = await startNode(ENV)
    nodes.push(a)
    operatorPassword = /Created user "operator" .* with password: (\S+)/.exec(a.output.join(''))?.[1] ?? ''
    expect(operatorPassword).not.toBe('')
    await waitFor('node A to take the lease', async () => (await health(a))?.leader === true)
    const b = await startNode(ENV)
    nodes.push(b)
    // B stays a follower while A renews: exactly one node runs the feeds.
    for (let i = 0; i < 5; i++) {
      expect((await health(a))?.leader).toBe(true)
      expect((await health(b))?.leader).toBe(false)
      await new Promise(resolve => setTimeout(resolve, 200))
    }

    const onA = new IncidentWatcher()
    const onB = new IncidentWatcher()
    await onA.attach(a)
    await onB.attach(b)
    const expected = new Map<string, string>()
    const base = Date.now() - 60_000
    const version = (i: number, v = 0): string => new Date(base + i * 1000 + v * 100).toISOString()

    // Pushes to either node: B passes its own on to A, the leader.
    const live = () => nodes.filter(n => n.process.exitCode === null && n.process.signalCode === null)
    for (let i = 0; i < 10; i++) {
      const ticket = `CL-${run}-${i}`
      await pushUntilStored(() => (i % 2 === 0 ? [a, b] : [b, a]), ticket, version(i))
      expected.set(ticket, version(i))
    }
    await waitFor('both nodes\' clients to hold the first ten', () =>
      [...expected].every(([t, v]) => onA.versions.get(t) === v && onB.versions.get(t) === v), 15_000)

    // Cross-node delivery: pushed through A's REST, seen on a client of B.
    const crossTicket = `CL-${run}-cross`
    const sentAt = Date.now()
    await pushUntilStored(() => [a], crossTicket, version(99))
    expected.set(crossTicket, version(99))
    await waitFor('the change made on A on a client of B', () => onB.versions.get(crossTicket) === version(99), 5000)
    console.log(`[cluster] push on A → event on a client of B: ${Date.now() - sentAt} ms (202 included)`)

    // Incidents keep coming (new tickets and newer versions of old ones) while the leader dies.
    let pushed = 0
    const pushing = (async () => {
      for (let i = 10; i < 50; i++, pushed++) {
        const ticket = `CL-${run}-${i % 3 === 0 ? i - 10 : i}`
        const v = version(i, 1)
        await pushUntilStored(() => [...live()].reverse(), ticket, v)
        if (!expected.has(ticket) || expected.get(ticket)! < v)
          expected.set(ticket, v)
      }
    })()
    await waitFor('a few of the new pushes to land', () => pushed >= 5, 15_000)
    a.kill9()
    onA.detach()
    // Its screen comes back on B, holding the sequence it had.
    await onA.attach(b)
    await pushing
    await waitFor('B to take over the lease', async () => (await health(b))?.leader === true, 15_000)

    await waitFor('every stored incident change on both screens', () =>
      [...expected].every(([t, v]) => onA.versions.get(t) === v && onB.versions.get(t) === v), 20_000)
    // The moved screen resumed from its sequence: events, not a snapshot; the other never saw a gap.
    expect(onA.answers).toEqual(['snapshot', 'events'])
    expect(onB.answers).toEqual(['snapshot'])
    expect(onB.gaps).toBe(0)
    expect(onA.gaps).toBe(0)
    // And the store agrees with what the screens hold.
    const summary = (await (await operatorOn(b)).get<{ open: number }>('/api/incidents/summary')).body
    expect(summary.open).toBe(expected.size)
  })
})
