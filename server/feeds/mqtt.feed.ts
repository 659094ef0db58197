import type { IClientOptions, IConnackPacket, IPublishPacket, ISubscriptionGrant, MqttClient } from 'mqtt'
import type { MqttFeedConfig } from './config'
import { secretValue } from './config'
import type { FeedAdapter, FeedContext } from './types'
import { decodeText, deliver } from './formats/payload'
import { describeError } from './backoff'

const SUBACK_FAILURE = 128
/** CONNACK 4 / 5 (MQTT 3.1.1): bad user name or password, not authorized: retrying will not help. */
const CONNACK_REFUSED_CODES = new Set([4, 5])

export interface MqttFeedOptions {
  reconnectPeriodMs?: number
  connectTimeoutMs?: number
}

/** `$share/<group>/<filter>` subscribes to `<filter>`; topics are matched against that. */
function withoutShare(filter: string): string {
  return filter.startsWith('$share/') ? filter.split('/').slice(2).join('/') : filter
}

/** MQTT topic filter matching: `+` one level, `#` the rest (including the parent level). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = withoutShare(filter).split('/')
  const t = topic.split('/')
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#')
      return true
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i]))
      return false
  }
  return f.length === t.length
}

function safeHost(url: string): string {
  try {
    return new URL(url).host
  }
  catch {
    return 'the broker'
  }
}

/**
 * Subscribes to an MQTT broker (MQTT 3.1.1, MQTT.js 5) with QoS 1 on a
 * persistent session (`clean: false`, stable client id `city-ioc-<feed id>`),
 * so the broker keeps QoS 1 messages while we are away.
 *
 * Each message is acknowledged only after ingest accepted it. MQTT.js sends
 * the PUBACK of a QoS 1 message when the client's `handleMessage(packet,
 * callback)` calls back without an error (mqtt/build/lib/handlers/publish.js,
 * case 1; README "mqtt.Client#handleMessage": "Handle messages with
 * backpressure support, one at a time"); we override it and call back after
 * `sink.push` resolved. Messages are therefore taken one at a time, in order.
 * (`customHandleAcks` also exists but only for MQTT 5 and only chooses the
 * PUBACK's reason code: any code completes the delivery, so it cannot make
 * the broker send again.) When ingest fails, the callback gets the error (no
 * PUBACK) and the connection is dropped: on reconnect the broker sends the
 * unacknowledged message again (MQTT 3.1.1 §4.4).
 *
 * A payload that cannot be decoded is dead-lettered and then acknowledged.
 */
export class MqttFeed implements FeedAdapter {
  readonly adapter = 'mqtt'
  readonly id: string
  /** Resolves once the client has closed after the context aborted. */
  readonly stopped: Promise<void>
  private resolveStopped!: () => void
  private readonly clientOptions: IClientOptions

  constructor(private readonly config: MqttFeedConfig, env: NodeJS.ProcessEnv = process.env, options: MqttFeedOptions = {}) {
    this.id = config.id
    this.stopped = new Promise((resolve) => {
      this.resolveStopped = resolve
    })
    if (config.format === 'native' && config.topics.some(t => !t.kind))
      throw new Error(`feed ${config.id}: with native payloads every topic needs a \`kind\``)
    this.clientOptions = {
      clientId: config.clientId ?? `city-ioc-${config.id}`,
      clean: false,
      protocolVersion: 4,
      reconnectPeriod: options.reconnectPeriodMs ?? 2000,
      connectTimeout: options.connectTimeoutMs ?? 10_000,
      ...(config.username === undefined ? {} : { username: config.username }),
      ...(config.password === undefined ? {} : { password: secretValue(config.password, env) }),
    }
  }

  start(ctx: FeedContext): void {
    if (ctx.signal.aborted) {
      this.resolveStopped()
      return
    }
    const host = safeHost(this.config.url)
    ctx.setConnection('connecting', `connecting to ${host}`)
    // Loaded on first use: the MQTT client is the largest package of a start
    // (≈ 0.3 s under tsx), and most servers have no MQTT feed.
    import('mqtt').then(({ default: mqtt }) => {
      if (ctx.signal.aborted)
        this.resolveStopped()
      else
        this.connect(ctx, mqtt.connect(this.config.url, this.clientOptions), host)
    }, (error: unknown) => {
      ctx.setConnection('failed', `mqtt client unavailable: ${describeError(error)}`)
      this.resolveStopped()
    })
  }

  private connect(ctx: FeedContext, client: MqttClient, host: string): void {
    client.handleMessage = (packet, callback) => {
      this.take(ctx, packet).then(() => callback(), (error: unknown) => {
        ctx.log(`mqtt: ingest failed, message left unacknowledged: ${describeError(error)}`)
        callback(error instanceof Error ? error : new Error(String(error)))
        if (!ctx.signal.aborted) {
          ctx.setConnection('retrying', `ingest failed (${describeError(error)}); reconnecting for redelivery`)
          client.stream.destroy()
        }
      })
    }
    this.watch(ctx, client, host)
    ctx.signal.addEventListener('abort', () => {
      client.end(true, () => this.resolveStopped())
    }, { once: true })
  }

  private watch(ctx: FeedContext, client: MqttClient, host: string): void {
    let subscribed = false
    const set = (...args: Parameters<FeedContext['setConnection']>): void => {
      if (!ctx.signal.aborted)
        ctx.setConnection(...args)
    }
    client.on('connect', (connack: IConnackPacket) => {
      set('connected', `${host}, ${connack.sessionPresent ? 'session resumed' : 'new session'}`)
      if (!subscribed) {
        subscribed = true
        this.subscribe(client, set, ctx.log)
      }
    })
    client.on('reconnect', () => set('retrying', `reconnecting to ${host}`))
    client.on('offline', () => set('retrying', `connection to ${host} lost`))
    client.on('error', (error: Error & { code?: unknown }) => {
      ctx.log(`mqtt: ${error.message}`)
      const refused = typeof error.code === 'number' && CONNACK_REFUSED_CODES.has(error.code)
      set(refused ? 'failed' : 'retrying', `${host}: ${error.message}`)
    })
  }

  private subscribe(client: MqttClient, set: FeedContext['setConnection'], log: FeedContext['log']): void {
    const filters = this.config.topics.map(t => t.filter)
    client.subscribe(filters, { qos: 1 }, (error, granted?: ISubscriptionGrant[]) => {
      const refused = granted?.filter(g => g.qos === SUBACK_FAILURE).map(g => g.topic) ?? []
      if (error)
        set('failed', `subscribe failed: ${error.message}`)
      else if (refused.length)
        set('failed', `the broker refused ${refused.join(', ')}`)
      else
        log(`mqtt: subscribed to ${filters.join(', ')} with QoS 1`)
    })
  }

  private async take(ctx: FeedContext, packet: IPublishPacket): Promise<void> {
    const route = this.config.topics.find(t => topicMatches(t.filter, packet.topic))
    const decoded = decodeText(packet.payload, { format: this.config.format, kind: route?.kind, crs: this.config.crs })
    await deliver(ctx.sink, this.id, decoded)
  }
}
