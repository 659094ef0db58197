import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { Basemap } from '@shared/geo/basemap'
import { secretProblem } from './auth/secrets'
import { FeedConfig } from './feeds/config'

const Bool = z.union([z.boolean(), z.enum(['true', 'false', '1', '0']).transform(v => v === 'true' || v === '1')])

/** The whole configuration. Every key has an environment variable (see CONFIG_ENV). */
export const Config = z.strictObject({
  port: z.coerce.number().int().min(0).max(65535).default(3000),
  host: z.string().min(1).default('0.0.0.0'),
  dbFile: z.string().min(1).default('./data/ioc.db'),
  /** PostgreSQL instead of the SQLite file, e.g. postgres://ioc@db:5432/ioc. */
  databaseUrl: z.string().regex(/^postgres(?:ql)?:\/\//, 'a postgres:// URL').optional(),
  /** The PostgreSQL schema the tables live in (created if missing); the connection's default when absent. */
  databaseSchema: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case SQL identifier').optional(),
  /** Days the per-minute history is kept; the wall's 24-hour trends read it. */
  historyMinuteDays: z.coerce.number().int().min(1, 'at least 1 day: the wall\'s 24-hour trends read the minute history').max(366).default(7),
  /** Days the per-hour history is kept; the KPIs compare with the same hour a week earlier. */
  historyHourDays: z.coerce.number().int().min(8, 'at least 8 days: the KPIs compare with the same hour a week earlier').max(3660).default(400),
  city: z.enum(['dongguan', 'jiangmen']).default('dongguan'),
  /** Public holidays and make-up working days for years the shipped calendar lacks (JSON: { holidays, workdays }). */
  calendarFile: z.string().min(1).optional(),
  /** Build the client at start when dist/client is missing or older than its sources. */
  buildClient: Bool.default(true),
  /** Telemetry leaves the server in one merged batch per stream per tick (0: every change at once). */
  tickMs: z.coerce.number().int().min(0).max(10_000).default(250),
  /** Run the built-in city simulator (the default source). */
  simulator: Bool.default(true),
  simSeed: z.coerce.number().int().min(0).max(2 ** 31 - 1).default(20_260_101),
  /** Simulated seconds per real second: 60 plays an hour of city life in a minute. */
  simSpeed: z.coerce.number().min(0.1).max(10_000).default(1),
  /** Real time between two rounds of station observations. */
  simIntervalMs: z.coerce.number().int().min(50).max(3_600_000).default(5000),
  /** Real time between two rounds of road-segment observations. */
  simTrafficIntervalMs: z.coerce.number().int().min(50).max(3_600_000).default(5000),
  /** Real time between two rounds of service-hall observations. */
  simHallIntervalMs: z.coerce.number().int().min(50).max(3_600_000).default(5000),
  /** 12345 work orders the simulated city files per simulated day, before rhythm and bursts. */
  simIncidentsPerDay: z.coerce.number().min(0).max(1_000_000).default(6000),
  /** Share of simulated records that arrive malformed, as faulty sensors send them. */
  simFaultRate: z.coerce.number().min(0).max(1).default(0.002),
  /** Real connectors (HTTP pull, webhook, MQTT, NGSI, Open311); from the config file, or IOC_FEEDS as JSON. */
  feeds: z.preprocess(parseJsonText, z.array(FeedConfig)).default([]),
  /**
   * Several nodes: a Redis that every node shares, e.g. redis://cache:6379.
   * One node holds the leader lease and runs the feeds; every node serves
   * walls. Needs IOC_DATABASE_URL (the nodes share PostgreSQL).
   */
  redisUrl: z.string().regex(/^rediss?:\/\//, 'a redis:// URL').optional(),
  /** Key prefix in Redis, so that several systems (or tests) can share one Redis. */
  redisPrefix: z.string().regex(/^[\w:.-]{1,64}$/, 'letters, digits and _ : . - only').default('ioc'),
  /** This node's address as the other nodes reach it (pushes reaching another node are passed on to the leader). */
  nodeUrl: z.url({ protocol: /^https?$/ }).optional(),
  /**
   * Production: IOC_SECRET must be set (and not a placeholder), demo users
   * are refused. Defaults to true when NODE_ENV=production.
   */
  production: Bool.default(process.env.NODE_ENV === 'production'),
  /** The secret behind the audit chain's HMAC and socket tickets; the same on every node. Generated into a file beside the data when absent (not in production). */
  secret: z.string().optional(),
  /** Seed one user per role and print their passwords, for trying the system (`npm run demo`). */
  demo: Bool.default(false),
  /** Origins whose pages may use the API and sockets, e.g. https://ioc.example.gov.cn; empty: the host a request was sent to. */
  allowedOrigins: z.preprocess(commaList, z.array(z.url({ protocol: /^https?$/ }).transform(u => new URL(u).origin))).default([]),
  /** Served over HTTPS (by a proxy in front): Secure cookies, HSTS, upgrade-insecure-requests. */
  tls: Bool.default(false),
  /** Proxies in front whose X-Forwarded-For is believed for the client address (0: none). */
  trustProxy: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * A basemap under the wall's map, from an intranet tile server, with the
   * coordinate system its tiles are drawn in (JSON, shared/geo/basemap.ts), e.g.
   * {"type":"raster","tiles":["https://tiles.city.gov.cn/{z}/{x}/{y}.png"],"crs":"gcj02"}.
   * Absent: the map is drawn from the city model alone and fetches no tile.
   */
  basemap: z.preprocess(parseJsonText, Basemap).optional(),
  /** Evaluate the alert rules (issue 7); off: no alert is raised (a test that wants a calm wall). */
  alerts: Bool.default(true),
  /** Real time between two evaluations of the alert rules. */
  alertEvalMs: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** Alert notifications are POSTed here (an SMS or messaging gateway), one per group, signed when a secret is set. */
  alertWebhookUrl: z.url({ protocol: /^https?$/ }).optional(),
  alertWebhookSecret: z.string().min(16, 'at least 16 characters').optional(),
  /** A group's notification waits this long (real time) for the rest of the group, as Alertmanager's group_wait. */
  alertGroupWaitMs: z.coerce.number().int().min(0).max(600_000).default(10_000),
  /** The work orders' deadlines (JSON, shared/dispatch/sla.ts SlaPolicy): Guangdong's limits when absent. */
  slaFile: z.string().min(1).optional(),
  /** Real time between two checks of the work orders' deadlines. */
  dispatchScanMs: z.coerce.number().int().min(100).max(600_000).default(5000),
  /** The simulated city's duty officers and departments work its own 12345 orders (source sim); off: people do it all. */
  simDispatch: Bool.default(true),
})
  .refine(c => !c.redisUrl || c.databaseUrl, { path: ['redisUrl'], message: 'several nodes share PostgreSQL: set IOC_DATABASE_URL too' })
  .superRefine((c, ctx) => {
    const problem = c.secret === undefined ? 'production needs IOC_SECRET (e.g. `openssl rand -hex 32`)' : secretProblem(c.secret)
    if (c.production && problem)
      ctx.addIssue({ code: 'custom', path: ['secret'], message: problem })
  })
  .refine(c => !c.production || !c.demo, { path: ['demo'], message: 'demo users are refused in production' })
  .refine(c => !c.redisUrl || c.secret !== undefined, { path: ['secret'], message: 'several nodes must share IOC_SECRET (sessions, socket tickets, the audit chain)' })
export type Config = z.infer<typeof Config>
export type ConfigInput = z.input<typeof Config>

/** A list from an environment variable: JSON, or comma-separated. */
function commaList(value: unknown): unknown {
  if (typeof value !== 'string')
    return value
  const text = value.trim()
  return text.startsWith('[') ? parseJsonText(text) : text.split(',').map(v => v.trim()).filter(Boolean)
}

/** Lets a structured setting come from an environment variable as JSON text. */
function parseJsonText(value: unknown): unknown {
  if (typeof value !== 'string')
    return value
  try {
    return JSON.parse(value) as unknown
  }
  catch {
    return value // the schema then says what was expected
  }
}

export const CONFIG_ENV: Record<keyof Config, string> = {
  port: 'IOC_PORT',
  host: 'IOC_HOST',
  dbFile: 'IOC_DB_FILE',
  databaseUrl: 'IOC_DATABASE_URL',
  databaseSchema: 'IOC_DATABASE_SCHEMA',
  historyMinuteDays: 'IOC_HISTORY_MINUTE_DAYS',
  historyHourDays: 'IOC_HISTORY_HOUR_DAYS',
  city: 'IOC_CITY',
  calendarFile: 'IOC_CALENDAR_FILE',
  buildClient: 'IOC_BUILD_CLIENT',
  tickMs: 'IOC_TICK_MS',
  simulator: 'IOC_SIMULATOR',
  simSeed: 'IOC_SIM_SEED',
  simSpeed: 'IOC_SIM_SPEED',
  simIntervalMs: 'IOC_SIM_INTERVAL_MS',
  simTrafficIntervalMs: 'IOC_SIM_TRAFFIC_INTERVAL_MS',
  simHallIntervalMs: 'IOC_SIM_HALL_INTERVAL_MS',
  simIncidentsPerDay: 'IOC_SIM_INCIDENTS_PER_DAY',
  simFaultRate: 'IOC_SIM_FAULT_RATE',
  feeds: 'IOC_FEEDS',
  redisUrl: 'IOC_REDIS_URL',
  redisPrefix: 'IOC_REDIS_PREFIX',
  nodeUrl: 'IOC_NODE_URL',
  production: 'IOC_PRODUCTION',
  secret: 'IOC_SECRET',
  demo: 'IOC_DEMO',
  allowedOrigins: 'IOC_ALLOWED_ORIGINS',
  tls: 'IOC_TLS',
  trustProxy: 'IOC_TRUST_PROXY',
  basemap: 'IOC_BASEMAP',
  alerts: 'IOC_ALERTS',
  alertEvalMs: 'IOC_ALERT_EVAL_MS',
  alertWebhookUrl: 'IOC_ALERT_WEBHOOK_URL',
  alertWebhookSecret: 'IOC_ALERT_WEBHOOK_SECRET',
  alertGroupWaitMs: 'IOC_ALERT_GROUP_WAIT_MS',
  slaFile: 'IOC_SLA_FILE',
  dispatchScanMs: 'IOC_DISPATCH_SCAN_MS',
  simDispatch: 'IOC_SIM_DISPATCH',
}

export class ConfigError extends Error {}

function readConfigFile(path: string): Record<string, unknown> {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  }
  catch (err) {
    throw new ConfigError(`IOC_CONFIG: cannot read ${path}: ${(err as Error).message}`)
  }
  try {
    const parsed: unknown = JSON.parse(text)
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error('expected a JSON object')
    return parsed as Record<string, unknown>
  }
  catch (err) {
    throw new ConfigError(`IOC_CONFIG: ${path} is not a valid JSON object: ${(err as Error).message}`)
  }
}

/**
 * Reads the configuration: defaults, then the JSON file named by IOC_CONFIG,
 * then environment variables. A bad value stops with a message naming the
 * variable (or file key), what is expected and what was given.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, unknown> = env.IOC_CONFIG ? readConfigFile(env.IOC_CONFIG) : {}
  const fromEnv = new Set<string>()
  for (const [key, name] of Object.entries(CONFIG_ENV)) {
    const value = env[name]
    if (value !== undefined && value !== '') {
      input[key] = value
      fromEnv.add(key)
    }
  }
  const result = Config.safeParse(input)
  if (result.success)
    return result.data
  const lines = result.error.issues.map((issue) => {
    // An unknown key is reported on the object itself (empty path), with the key names in `keys`.
    const key = String(issue.path[0] ?? (issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : ''))
    // Inside a structured value (a feed), the rest of the path says where: IOC_FEEDS[0].url.
    const inner = issue.path.slice(1).map(p => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')
    const where = Object.hasOwn(CONFIG_ENV, key)
      ? `${fromEnv.has(key) || !(key in input) ? CONFIG_ENV[key as keyof Config] : `${key} in ${env.IOC_CONFIG ?? 'config'}`}${inner}`
      : `${key} (unknown key in ${env.IOC_CONFIG ?? 'config'})`
    const given = key in input && inner === '' ? ` (got ${JSON.stringify(input[key])})` : ''
    return `  ${where}: ${issue.message}${given}`
  })
  throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`)
}
