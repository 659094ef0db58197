/**
 * Drill scenarios from the command line, against a running server's REST API.
 *
 *   npm run scenario -- list
 *   npm run scenario -- heavy-rain --area south --duration 120
 *   npm run scenario -- chemical-smell --area 沙田 --intensity 0.9
 *   npm run scenario -- hall-outage --area 东城,Nancheng
 *   npm run scenario -- feed-outage --feed traffic --duration 20
 *   npm run scenario -- cancel sc1-heavy-rain
 *
 * Signs in as IOC_USER (or --user) with the password in IOC_PASSWORD: a duty
 * officer's or an administrator's account (drills are theirs).
 * --url <base> (default http://localhost:3000). Areas: a region (north, south,
 * east, west, centre; or 北部 南部 东部 西部 中部) or towns by name (沙田, 沙田镇),
 * pinyin (Shatian) or code, comma-separated. Durations in simulated minutes.
 */
import { pathToFileURL } from 'node:url'
import { z } from 'zod'
import { Town } from '@shared/schemas/city'
import { RECORD_KINDS, RecordKind } from '@shared/schemas/feeds'
import type { ScenarioArea, ScenarioRegion, ScenarioRequestInput } from '@shared/schemas/scenarios'
import { ActiveScenario, SCENARIO_KINDS, SCENARIO_REGIONS, ScenarioKind, ScenarioList } from '@shared/schemas/scenarios'
import { localTime } from '@server/feeds/simulator/china-time'

export const DEFAULT_URL = 'http://localhost:3000'

/** A mistake in what was typed: exit code 2, with the usage. */
export class UsageError extends Error {}
/** The server could not be reached or refused: exit code 1. */
export class ServerError extends Error {}

export type Command =
  | { action: 'help' }
  | { action: 'list' }
  | { action: 'cancel', id: string }
  | { action: 'inject', kind: ScenarioKind, area?: string, durationMin?: number, intensity?: number, feed?: RecordKind }

export const USAGE = `usage: scenario <command> [--url <base>] [--user <name>]   (password in IOC_PASSWORD)
  list                                  the scenarios under way
  <kind> [--area <area>] [--duration <simulated minutes>] [--intensity <0..1>]
                                        start one; kinds: ${SCENARIO_KINDS.join(', ')}
  feed-outage --feed <${RECORD_KINDS.join('|')}> [--duration <simulated minutes>]
                                        stop one kind of record (a data-interruption drill)
  cancel <id>                           end one early
areas: ${SCENARIO_REGIONS.join(', ')} (or 北部 南部 东部 西部 中部), or towns by name, pinyin or code, comma-separated`

const REGION_WORDS: Readonly<Record<string, ScenarioRegion>> = {
  north: 'north', south: 'south', east: 'east', west: 'west', centre: 'centre', center: 'centre', central: 'centre',
  北部: 'north', 南部: 'south', 东部: 'east', 西部: 'west', 中部: 'centre', 北: 'north', 南: 'south', 东: 'east', 西: 'west', 中: 'centre',
}

function numberOption(name: string, text: string | undefined, check: (n: number) => boolean, expected: string): number {
  const n = Number(text)
  if (text === undefined || text.trim() === '' || !Number.isFinite(n) || !check(n))
    throw new UsageError(`--${name} expects ${expected}, got ${JSON.stringify(text ?? '')}`)
  return n
}

const OPTIONS = ['url', 'user', 'area', 'duration', 'intensity', 'feed']

/** Splits the command line into positional words and --name value / --name=value options; null for --help. */
function readArgs(argv: readonly string[]): { positional: string[], flags: Map<string, string> } | null {
  const positional: string[] = []
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? ''
    if (arg === '-h' || arg === '--help')
      return null
    if (!arg.startsWith('--')) {
      positional.push(arg)
      continue
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2) as [string, string | undefined]
    if (!OPTIONS.includes(name))
      throw new UsageError(`unknown option --${name}`)
    const value = inline ?? argv[++i]
    if (value === undefined || value.startsWith('--'))
      throw new UsageError(`--${name} needs a value`)
    flags.set(name, value)
  }
  return { positional, flags }
}

/** Reads the command line (without `node script`). */
export function parseArgs(argv: readonly string[]): { command: Command, url: string, user?: string } {
  const args = readArgs(argv)
  if (!args)
    return { command: { action: 'help' }, url: DEFAULT_URL }
  const { positional, flags } = args
  const url = (flags.get('url') ?? DEFAULT_URL).replace(/\/+$/, '')
  if (!/^https?:\/\/[^/]+/.test(url))
    throw new UsageError(`--url expects http(s)://host[:port], got ${JSON.stringify(url)}`)
  const user = flags.get('user')
  const signIn = user === undefined ? {} : { user }
  const [first, ...rest] = positional
  if (first === undefined || first === 'help')
    return { command: { action: 'help' }, url, ...signIn }
  const onlyUrl = (): void => {
    const option = [...flags.keys()].find(k => k !== 'url' && k !== 'user')
    if (option)
      throw new UsageError(`'${first}' takes no --${option}`)
    if (rest.length > (first === 'cancel' ? 1 : 0))
      throw new UsageError(`unexpected argument '${rest[rest.length - 1]}'`)
  }
  if (first === 'list') {
    onlyUrl()
    return { command: { action: 'list' }, url, ...signIn }
  }
  if (first === 'cancel') {
    onlyUrl()
    if (!rest[0])
      throw new UsageError('cancel needs the id of a scenario (see: scenario list)')
    return { command: { action: 'cancel', id: rest[0] }, url, ...signIn }
  }
  const kind = ScenarioKind.safeParse(first)
  if (!kind.success)
    throw new UsageError(`unknown command or scenario kind '${first}'; kinds: ${SCENARIO_KINDS.join(', ')}`)
  if (rest.length > 0)
    throw new UsageError(`unexpected argument '${rest[0]}' (the area goes after --area)`)
  const command: Command = { action: 'inject', kind: kind.data }
  const area = flags.get('area')
  if (area !== undefined)
    command.area = area
  if (flags.has('duration'))
    command.durationMin = numberOption('duration', flags.get('duration'), n => Number.isInteger(n) && n >= 1 && n <= 7 * 24 * 60, 'whole simulated minutes, 1 to 10080')
  if (flags.has('intensity'))
    command.intensity = numberOption('intensity', flags.get('intensity'), n => n >= 0 && n <= 1, 'a number from 0 to 1')
  if (flags.has('feed')) {
    const feed = RecordKind.safeParse(flags.get('feed'))
    if (!feed.success)
      throw new UsageError(`--feed expects one of ${RECORD_KINDS.join(', ')}, got ${JSON.stringify(flags.get('feed') ?? '')}`)
    command.feed = feed.data
  }
  return { command, url }
}

const simplify = (s: string): string => s.toLowerCase().replace(/[^a-z0-9\u4E00-\u9FFF]/g, '')

/** One town from what an operator typed: its code, full or short name, or pinyin (any case, apostrophes optional). */
function findTown(token: string, towns: readonly Town[]): Town {
  const key = simplify(token)
  const short = (name: string): string => name.replace(/(?:街道|镇)$/, '')
  const hits = towns.filter(t => t.code === token || t.name === token || short(t.name) === token || simplify(t.pinyin) === key)
  if (hits.length === 1 && hits[0])
    return hits[0]
  if (hits.length > 1)
    throw new UsageError(`'${token}' matches several towns: ${hits.map(t => `${t.name} (${t.code})`).join(', ')}`)
  const near = towns.filter(t => short(t.name).includes(token) || simplify(t.pinyin).startsWith(key)).slice(0, 5)
  const hint = near.length > 0 ? `did you mean ${near.map(t => short(t.name)).join(', ')}?` : `towns: ${towns.map(t => short(t.name)).join(' ')}`
  throw new UsageError(`unknown town '${token}'; ${hint}`)
}

/** A region word, or towns resolved against the city's town list. */
export function resolveArea(text: string, towns: readonly Town[]): ScenarioArea {
  const tokens = text.split(/[,，、]/).map(s => s.trim()).filter(Boolean)
  if (tokens.length === 0)
    throw new UsageError('--area is empty')
  const regions = tokens.map(t => REGION_WORDS[t.toLowerCase()])
  if (regions.every(r => r !== undefined)) {
    if (tokens.length > 1)
      throw new UsageError('--area takes one region, or a list of towns')
    return { region: regions[0] as ScenarioRegion }
  }
  if (regions.some(r => r !== undefined))
    throw new UsageError('--area mixes a region with towns; give one region or only towns')
  return { townCodes: [...new Set(tokens.map(t => findTown(t, towns).code))] }
}

export interface CliIo {
  fetch: typeof fetch
  out: (line: string) => void
  err: (line: string) => void
  /** IOC_USER and IOC_PASSWORD. */
  env: Readonly<Record<string, string | undefined>>
}

/** A signed-in session: sent as a browser would (cookie, CSRF token, the server's own Origin). */
interface Signed { cookie: string, csrf: string }

async function request(io: CliIo, url: string, init: RequestInit = {}, session?: Signed): Promise<{ status: number, body: unknown, setCookie?: string | null }> {
  let res: Response
  try {
    res = await io.fetch(url, {
      ...init,
      headers: { ...init.headers as Record<string, string>, origin: new URL(url).origin, ...(session ? { 'cookie': session.cookie, 'x-csrf-token': session.csrf } : {}) },
    })
  }
  catch (err) {
    const cause = (err as { cause?: { code?: string, message?: string } }).cause
    const why = cause?.code ?? cause?.message ?? (err as Error).message
    throw new ServerError(`cannot reach the server at ${new URL(url).origin} (${why}); is it running? Use --url to point elsewhere.`)
  }
  const text = await res.text()
  let body: unknown = text
  try {
    body = text ? JSON.parse(text) : undefined
  }
  catch { /* not JSON: kept as text for the message */ }
  if (!res.ok) {
    const message = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : text.slice(0, 200) || res.statusText
    throw new ServerError(`${init?.method ?? 'GET'} ${new URL(url).pathname} → ${res.status}: ${message}`)
  }
  return { status: res.status, body, setCookie: res.headers.get('set-cookie') }
}

async function signIn(io: CliIo, base: string, user: string | undefined): Promise<Signed> {
  const username = user ?? io.env.IOC_USER
  const password = io.env.IOC_PASSWORD
  if (!username || !password)
    throw new UsageError('sign in: give --user (or IOC_USER) and IOC_PASSWORD, a duty officer\'s or an administrator\'s account')
  const res = await request(io, `${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) })
  const cookie = /ioc_session=[^;]+/.exec(res.setCookie ?? '')?.[0]
  const csrf = parsed(z.object({ csrfToken: z.string() }), res.body, 'session').csrfToken
  if (!cookie)
    throw new ServerError('the server signed in without a session cookie')
  return { cookie, csrf }
}

function parsed<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const result = schema.safeParse(body)
  if (!result.success)
    throw new ServerError(`the server sent an unexpected ${what}: ${z.prettifyError(result.error)}`)
  return result.data
}

/** 11-23 10:00, China time. */
function shortTime(iso: string): string {
  const local = localTime(Date.parse(iso))
  const hh = String(Math.floor(local.minute / 60)).padStart(2, '0')
  const mm = String(Math.floor(local.minute % 60)).padStart(2, '0')
  return `${local.date.slice(5)} ${hh}:${mm}`
}

export function describeScenario(s: ActiveScenario): string {
  return `${s.id}  ${s.label}  (${s.kind}, ${s.area.townCodes.length} town${s.area.townCodes.length === 1 ? '' : 's'}, `
    + `intensity ${s.intensity}, simulated ${shortTime(s.startsAt)} → ${shortTime(s.endsAt)})`
}

async function inject(io: CliIo, base: string, command: Extract<Command, { action: 'inject' }>, session: Signed): Promise<void> {
  const body: ScenarioRequestInput = { kind: command.kind }
  if (command.area !== undefined) {
    const needsTowns = command.area.split(/[,，、]/).some(t => REGION_WORDS[t.trim().toLowerCase()] === undefined)
    const towns = needsTowns ? parsed(z.object({ towns: z.array(Town) }), (await request(io, `${base}/api/city`, {}, session)).body, 'city model').towns : []
    body.area = resolveArea(command.area, towns)
  }
  if (command.durationMin !== undefined)
    body.durationMin = command.durationMin
  if (command.intensity !== undefined)
    body.intensity = command.intensity
  if (command.feed !== undefined)
    body.feed = command.feed
  const res = await request(io, `${base}/api/scenarios`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, session)
  const scenario = parsed(ActiveScenario, res.body, 'scenario')
  io.out(`started ${describeScenario(scenario)}`)
  io.out(`cancel with: npm run scenario -- cancel ${scenario.id}`)
}

/** Runs one command; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo = { fetch, out: line => console.log(line), err: line => console.error(line), env: process.env }): Promise<number> {
  try {
    const { command, url, user } = parseArgs(argv)
    if (command.action === 'help') {
      io.out(USAGE)
      return 0
    }
    const session = await signIn(io, url, user)
    switch (command.action) {
      case 'list': {
        const list = parsed(ScenarioList, (await request(io, `${url}/api/scenarios`, {}, session)).body, 'scenario list')
        if (list.scenarios.length === 0)
          io.out('no scenario under way')
        for (const s of list.scenarios) io.out(describeScenario(s))
        return 0
      }
      case 'cancel':
        await request(io, `${url}/api/scenarios/${encodeURIComponent(command.id)}`, { method: 'DELETE' }, session)
        io.out(`cancelled ${command.id}`)
        return 0
      case 'inject':
        await inject(io, url, command, session)
        return 0
    }
  }
  catch (err) {
    if (err instanceof UsageError) {
      io.err(`error: ${err.message}\n\n${USAGE}`)
      return 2
    }
    if (err instanceof ServerError) {
      io.err(`error: ${err.message}`)
      return 1
    }
    throw err
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  process.exitCode = await runCli(process.argv.slice(2))
