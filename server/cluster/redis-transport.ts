import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import type { AnyStreamEvent, StreamEvent } from '@shared/realtime/events'
import type { StreamEventData } from '@shared/realtime/streams'
import { StreamName } from '@shared/realtime/streams'
import type { StreamPosition, StreamTransport } from '@server/realtime/stream-transport'

/** Entries kept per stream in Redis, enough for any node's replays (each node keeps 500). */
const MAX_ENTRIES = 10_000
/** How long one read waits for new entries; between reads the reader checks the epochs. */
const READ_BLOCK_MS = 1000
const READ_COUNT = 500
const READ_RETRY_MS = 500
/** How often the reader looks for a stream that started afresh (a flushed Redis). */
const EPOCH_CHECK_MS = 2000

/**
 * The stream's epoch, started if missing. A missing epoch means a fresh (or
 * flushed) Redis: a new epoch starts at sequence 0 and clients holding
 * numbers of the old one resync. KEYS: log, epoch, seq. ARGV[1]: new epoch.
 */
const ENSURE_EPOCH_LUA = `
local epoch = redis.call('GET', KEYS[2])
if not epoch then
  epoch = ARGV[1]
  redis.call('SET', KEYS[2], epoch)
  redis.call('SET', KEYS[3], 0)
  redis.call('DEL', KEYS[1])
end
`

/**
 * Numbers an event and appends it in one step, so two nodes publishing on
 * one stream can never take the same number. The entry id is the sequence
 * number. KEYS: log, epoch, seq. ARGV: new epoch, max entries, at,
 * ingestedAt, data.
 */
const APPEND_LUA = `${ENSURE_EPOCH_LUA}local seq = redis.call('INCR', KEYS[3])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], seq .. '-0', 'epoch', epoch, 'at', ARGV[3], 'ing', ARGV[4], 'data', ARGV[5])
return seq`

/**
 * Where a stream stands and its newest entries, read in one step so that
 * the two agree. KEYS: log, epoch, seq. ARGV: new epoch, count.
 */
const POSITION_LUA = `${ENSURE_EPOCH_LUA}local seq = tonumber(redis.call('GET', KEYS[3]) or '0')
return { epoch, seq, redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', ARGV[2]) }`

type RawEntry = [id: string, fields: string[]]

interface IocRedis extends Redis {
  iocAppend: (log: string, epochKey: string, seqKey: string, newEpoch: string, maxLen: number, at: string, ingestedAt: string, data: string) => Promise<number>
  iocPosition: (log: string, epochKey: string, seqKey: string, newEpoch: string, count: number) => Promise<[string, number, RawEntry[]]>
}

function connect(url: string, name: string, onError: (err: Error) => void): IocRedis {
  const redis = new Redis(url, { connectionName: name, lazyConnect: false, maxRetriesPerRequest: null }) as IocRedis
  redis.defineCommand('iocAppend', { numberOfKeys: 3, lua: APPEND_LUA })
  redis.defineCommand('iocPosition', { numberOfKeys: 3, lua: POSITION_LUA })
  // Without a listener an EventEmitter's 'error' would end the process (reliability.md §2).
  redis.on('error', onError)
  return redis
}

/** Logs a broken connection once per outage, not at every retry. */
function errorReporter(what: string): (err: Error) => void {
  let last = 0
  return (err) => {
    if (Date.now() - last > 30_000)
      console.error(`[cluster] ${what}: ${err.message}`)
    last = Date.now()
  }
}

function toEvent(stream: StreamName, [id, fields]: RawEntry): AnyStreamEvent {
  const f: Record<string, string> = {}
  for (let i = 0; i + 1 < fields.length; i += 2)
    f[fields[i]!] = fields[i + 1]!
  const event: StreamEvent = {
    stream,
    epoch: f.epoch ?? '',
    seq: Number(id.split('-')[0]),
    at: f.at ?? new Date().toISOString(),
    ...(f.ing ? { ingestedAt: f.ing } : {}),
    data: JSON.parse(f.data ?? 'null') as StreamEventData<StreamName>,
  }
  return event as AnyStreamEvent
}

/**
 * The shared stream log of several nodes: one Redis stream per stream name,
 * entry id = sequence number. Every node appends through one script and
 * reads every stream with a blocking XREAD on a connection of its own, so
 * all nodes deliver the same events in the same order with the same numbers.
 */
export function redisTransport(options: { url: string, prefix: string }): StreamTransport {
  const keys = (stream: StreamName) => {
    const base = `${options.prefix}:stream:${stream}`
    return { log: base, epoch: `${base}:epoch`, seq: `${base}:seq` }
  }
  const writer = connect(options.url, 'ioc-writer', errorReporter('Redis (publishing)'))
  const reader = connect(options.url, 'ioc-reader', errorReporter('Redis (reading)'))
  const next = new Map<StreamName, StreamPosition>()
  let running = false
  let loop: Promise<void> | undefined

  async function readLoop(deliver: (event: AnyStreamEvent) => void): Promise<void> {
    const streams = StreamName.options
    let epochsChecked = Date.now()
    while (running) {
      try {
        if (Date.now() - epochsChecked >= EPOCH_CHECK_MS) {
          epochsChecked = Date.now()
          await checkEpochs()
        }
        const ids = streams.map(s => `${next.get(s)?.seq ?? 0}-0`)
        const result = await reader.xread('COUNT', READ_COUNT, 'BLOCK', READ_BLOCK_MS, 'STREAMS', ...streams.map(s => keys(s).log), ...ids)
        if (!running)
          return
        if (!result)
          continue
        for (const [key, entries] of result) {
          const stream = streams.find(s => keys(s).log === key)
          if (!stream)
            continue
          for (const entry of entries) {
            const event = toEvent(stream, entry)
            const held = next.get(stream)
            // The log started afresh (a flushed Redis) and has passed the sequence read up to in the old epoch
            // before checkEpochs noticed: read the new epoch from its first entry, not from that old number.
            if (held && held.seq > 0 && event.epoch !== held.epoch) {
              next.set(stream, { epoch: event.epoch, seq: 0 })
              break
            }
            next.set(stream, { epoch: event.epoch, seq: event.seq })
            deliver(event)
          }
        }
      }
      catch (err) {
        if (!running)
          return
        errorReporter('Redis (reading)')(err as Error)
        await new Promise(resolve => setTimeout(resolve, READ_RETRY_MS))
      }
    }
  }

  /** A flushed or restarted Redis starts each stream afresh at 1: read it from the start. */
  async function checkEpochs(): Promise<void> {
    const streams = StreamName.options
    const epochs = await writer.mget(...streams.map(s => keys(s).epoch))
    streams.forEach((stream, i) => {
      const held = next.get(stream)
      if (held && epochs[i] !== null && epochs[i] !== held.epoch)
        next.set(stream, { epoch: epochs[i]!, seq: 0 })
    })
  }

  return {
    positions: async (recent) => {
      const entries = await Promise.all(StreamName.options.map(async (stream) => {
        const k = keys(stream)
        const [epoch, seq, newestFirst] = await writer.iocPosition(k.log, k.epoch, k.seq, randomUUID(), recent)
        next.set(stream, { epoch, seq: Number(seq) })
        return [stream, { epoch, seq: Number(seq), recent: newestFirst.reverse().map(e => toEvent(stream, e)) }] as const
      }))
      return Object.fromEntries(entries) as unknown as Awaited<ReturnType<StreamTransport['positions']>>
    },
    start: (deliver) => {
      running = true
      loop = readLoop(deliver)
      return Promise.resolve()
    },
    publish: async (stream, data, ingestedAt) => {
      const k = keys(stream)
      await writer.iocAppend(k.log, k.epoch, k.seq, randomUUID(), MAX_ENTRIES, new Date().toISOString(), ingestedAt !== undefined ? new Date(ingestedAt).toISOString() : '', JSON.stringify(data))
    },
    close: async () => {
      running = false
      // The blocked XREAD returns within READ_BLOCK_MS; disconnecting ends it at once.
      reader.disconnect()
      await loop
      await writer.quit().catch(() => writer.disconnect())
    },
  }
}
