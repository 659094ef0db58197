import { z } from 'zod'
import { RecordKind } from '@shared/schemas/feeds'

/** The coordinate system a feed's positions are in; converted once, at the edge, to WGS-84. */
export const Crs = z.enum(['WGS84', 'GCJ02', 'BD09'])
export type Crs = z.infer<typeof Crs>

/**
 * How the records of a pull or MQTT feed are encoded: `native` is our own
 * record schema (shared/schemas), one record, an array, or `{ records: [...] }`;
 * NGSI forms carry FIWARE Smart Data Models.
 */
export const PayloadFormat = z.enum(['native', 'ngsi-v2', 'ngsi-ld'])
export type PayloadFormat = z.infer<typeof PayloadFormat>

/** A secret given inline, or (better) by the name of the environment variable that holds it. */
const Secret = z.union([
  z.strictObject({ value: z.string().min(1) }),
  z.strictObject({ env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/) }),
])
export type Secret = z.infer<typeof Secret>

const Common = {
  /** Becomes the `source` of every record; used in URLs, so a slug. */
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'lower-case letters, digits and -'),
  enabled: z.boolean().default(true),
  crs: Crs.default('WGS84'),
  /** No record for this long makes the feed `stale`. */
  staleAfterMs: z.number().int().min(1000).default(5 * 60_000),
}

const Backoff = z.strictObject({
  baseMs: z.number().int().min(10).default(1000),
  maxMs: z.number().int().min(10).default(5 * 60_000),
}).prefault({})

export const HttpPullFeedConfig = z.strictObject({
  ...Common,
  adapter: z.literal('http-pull'),
  url: z.url(),
  kind: RecordKind.optional(),
  format: PayloadFormat.default('native'),
  intervalMs: z.number().int().min(100).default(60_000),
  timeoutMs: z.number().int().min(100).default(10_000),
  headers: z.record(z.string(), z.string()).default({}),
  backoff: Backoff,
})

export const WebhookFeedConfig = z.strictObject({
  ...Common,
  adapter: z.literal('webhook'),
  /** HMAC-SHA256 key; requests are signed over `${timestamp}.${body}`. */
  secret: Secret,
  /** Requests whose timestamp is further than this from the server clock are refused. */
  replayWindowS: z.number().int().min(1).max(3600).default(300),
  maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
})

export const MqttFeedConfig = z.strictObject({
  ...Common,
  adapter: z.literal('mqtt'),
  url: z.string().regex(/^mqtts?:\/\//, 'mqtt:// or mqtts:// URL'),
  /** Topic filters (+ and # wildcards) with the record kind each carries. */
  topics: z.array(z.strictObject({ filter: z.string().min(1), kind: RecordKind.optional() })).min(1),
  format: PayloadFormat.default('native'),
  username: z.string().optional(),
  password: Secret.optional(),
  clientId: z.string().min(1).max(64).optional(),
})

export const NgsiFeedConfig = z.strictObject({
  ...Common,
  adapter: z.literal('ngsi'),
  /** Notifications must carry this token in the `x-auth-token` header, when set. */
  token: Secret.optional(),
  maxBodyBytes: z.number().int().min(1024).max(16 * 1024 * 1024).default(1024 * 1024),
})

export const Open311FeedConfig = z.strictObject({
  ...Common,
  adapter: z.literal('open311'),
  /** The GeoReport v2 endpoint base, e.g. https://open311.example.gov/v2 (GET <url>/requests.json). */
  url: z.url(),
  jurisdictionId: z.string().optional(),
  apiKey: Secret.optional(),
  intervalMs: z.number().int().min(100).default(60_000),
  timeoutMs: z.number().int().min(100).default(10_000),
  backoff: Backoff,
  /** service_code → nature and topic; codes not listed are mapped by their name's keywords. */
  services: z.record(z.string(), z.strictObject({
    nature: z.enum(['consult', 'help', 'complaint', 'report', 'suggestion']),
    topic: z.string(),
  })).default({}),
})

export const FeedConfig = z.discriminatedUnion('adapter', [
  HttpPullFeedConfig,
  WebhookFeedConfig,
  MqttFeedConfig,
  NgsiFeedConfig,
  Open311FeedConfig,
])
export type FeedConfig = z.infer<typeof FeedConfig>
export type FeedConfigInput = z.input<typeof FeedConfig>
export type HttpPullFeedConfig = z.infer<typeof HttpPullFeedConfig>
export type WebhookFeedConfig = z.infer<typeof WebhookFeedConfig>
export type MqttFeedConfig = z.infer<typeof MqttFeedConfig>
export type NgsiFeedConfig = z.infer<typeof NgsiFeedConfig>
export type Open311FeedConfig = z.infer<typeof Open311FeedConfig>

/** Reads a secret's value; a missing environment variable is a configuration error, named. */
export function secretValue(secret: Secret, env: NodeJS.ProcessEnv = process.env): string {
  if ('value' in secret)
    return secret.value
  const value = env[secret.env]
  if (!value)
    throw new Error(`environment variable ${secret.env} (a feed secret) is not set`)
  return value
}
