/**
 * The wall benchmark's settings: a profile (smoke: a few minutes; full: the
 * one-hour accelerated soak) and environment overrides of each figure.
 *
 *   BENCH_SECTIONS        size, ticks, soak (or wall.size…; `wall` for all)
 *   BENCH_WALL_PROFILE    smoke | full
 *   BENCH_SEGMENTS        road segments of the denser city (5000)
 *   BENCH_CHANGES         traffic changes per second pushed to the server (1000)
 *   BENCH_STRATEGIES      map update strategies compared (default,setData)
 *   BENCH_SCENE           the scene the strategies are measured on, held still (traffic: every segment on the map)
 *   BENCH_WARMUP_S        seconds before each measured window
 *   BENCH_TICK_S          seconds of each strategy's measured window
 *   BENCH_TRACE_S         seconds of each strategy's Chromium trace (after its window)
 *   BENCH_SOAK_MIN        real minutes of the soak
 *   BENCH_SOAK_SPEED      simulated seconds per real second in the soak
 *   BENCH_SOAK_WARMUP_MIN simulated minutes at the soak's start left out of the growth fits
 *   BENCH_CHURN_DWELL_S   seconds on each scene when the soak steps through all of them before a sample (0: no steps)
 *   BENCH_HISTORY_H       simulated hours played before the walls connect
 *   BENCH_PIN             1: server on CPU 0, Chromium on CPU 1 (taskset); unpinned by default: on a
 *                         2-core box SwiftShader's rasterising and the renderer's main thread would
 *                         share one core, which turns GPU work into main-thread waits a wall never has
 */

export const WALL_SECTIONS = ['size', 'ticks', 'soak'] as const
export type WallSection = (typeof WALL_SECTIONS)[number]
export const STRATEGIES = ['default', 'setData'] as const
export type Strategy = (typeof STRATEGIES)[number]

export interface WallOptions {
  profile: 'smoke' | 'full'
  sections: WallSection[]
  segments: number
  stations: number
  changesPerSecond: number
  strategies: Strategy[]
  /** The wall scene of the tick windows, without rotation; the soak rotates through the preset's scenes as a wall does. */
  scene: string
  warmupS: number
  tickS: number
  traceS: number
  soakMin: number
  soakSpeed: number
  /** Simulated minutes between two soak samples, and at the start left out of the fits. */
  sampleSimMin: number
  soakWarmupSimMin: number
  /** Seconds on each scene when the soak steps through every scene before a sample. */
  churnDwellS: number
  historyH: number
  historySpeed: number
  pin: boolean
  seed: number
}

const PROFILES: Record<WallOptions['profile'], Omit<WallOptions, 'profile' | 'sections' | 'strategies' | 'scene' | 'pin'>> = {
  smoke: { segments: 5000, stations: 30, changesPerSecond: 1000, warmupS: 15, tickS: 30, traceS: 8, soakMin: 2, soakSpeed: 45, sampleSimMin: 5, soakWarmupSimMin: 30, churnDwellS: 0.5, historyH: 4, historySpeed: 720, seed: 20_260_101 },
  // A simulated hour and a half in 15 real minutes: the fits cover the hour after a half-hour warm-up (performance.md C-4).
  full: { segments: 5000, stations: 30, changesPerSecond: 1000, warmupS: 30, tickS: 120, traceS: 15, soakMin: 15, soakSpeed: 6, sampleSimMin: 5, soakWarmupSimMin: 30, churnDwellS: 2, historyH: 4, historySpeed: 720, seed: 20_260_101 },
}

function number(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '')
    return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${name} must be a positive number (got ${JSON.stringify(raw)})`)
  return value
}

/** The wall sections BENCH_SECTIONS names (all when it names none of them, or `wall`). */
export function wallSections(env: NodeJS.ProcessEnv): WallSection[] {
  const named = (env.BENCH_SECTIONS ?? '').split(',').map(s => s.trim()).filter(Boolean)
  if (named.length === 0 || named.includes('wall'))
    return [...WALL_SECTIONS]
  return WALL_SECTIONS.filter(s => named.includes(s) || named.includes(`wall.${s}`))
}

export function wallOptions(env: NodeJS.ProcessEnv, defaultProfile: WallOptions['profile']): WallOptions {
  const profileName = env.BENCH_WALL_PROFILE ?? defaultProfile
  if (profileName !== 'smoke' && profileName !== 'full')
    throw new Error(`BENCH_WALL_PROFILE must be smoke or full (got ${JSON.stringify(profileName)})`)
  const base = PROFILES[profileName]
  const strategies = (env.BENCH_STRATEGIES ?? STRATEGIES.join(',')).split(',').map(s => s.trim())
  const unknown = strategies.filter(s => !(STRATEGIES as readonly string[]).includes(s))
  if (unknown.length > 0)
    throw new Error(`BENCH_STRATEGIES: unknown ${unknown.join(', ')} (known: ${STRATEGIES.join(', ')})`)
  return {
    ...base,
    profile: profileName,
    sections: wallSections(env),
    strategies: strategies as Strategy[],
    scene: env.BENCH_SCENE ?? 'traffic',
    segments: number(env, 'BENCH_SEGMENTS', base.segments),
    changesPerSecond: number(env, 'BENCH_CHANGES', base.changesPerSecond),
    warmupS: number(env, 'BENCH_WARMUP_S', base.warmupS),
    tickS: number(env, 'BENCH_TICK_S', base.tickS),
    traceS: number(env, 'BENCH_TRACE_S', base.traceS),
    soakMin: number(env, 'BENCH_SOAK_MIN', base.soakMin),
    soakSpeed: number(env, 'BENCH_SOAK_SPEED', base.soakSpeed),
    soakWarmupSimMin: number(env, 'BENCH_SOAK_WARMUP_MIN', base.soakWarmupSimMin),
    churnDwellS: env.BENCH_CHURN_DWELL_S === '0' ? 0 : number(env, 'BENCH_CHURN_DWELL_S', base.churnDwellS),
    historyH: number(env, 'BENCH_HISTORY_H', base.historyH),
    pin: env.BENCH_PIN === '1',
  }
}

/** The page's query for a strategy on a scene held still: the wall's own map updates, or the naive ones by their switch. */
export function strategyQuery(strategy: Strategy, scene: string): string {
  const query = new URLSearchParams({ scene, rotate: '0' })
  if (strategy === 'setData')
    query.set('mapUpdate', 'setData')
  return `?${query.toString()}`
}
