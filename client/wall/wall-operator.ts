import type { Alert } from '@shared/schemas/alerts'
import type { WallLayout, WallLayoutSettings } from '@shared/schemas/wall'
import { DEFAULT_WALL_LAYOUT } from '@shared/schemas/wall'
import { nightOn } from './night-mode'
import type { RotationState, RotationView, WallOverrides } from './scene-rotation'
import { advance, hold, planOf, release, replan, rotationView, startRotation, step } from './scene-rotation'
import type { Takeover } from './takeover'
import { TakeoverWatch } from './takeover'

const takeoverSettings = (s: WallLayoutSettings): { enabled: boolean, timeoutMs: number } => ({ enabled: s.takeover.enabled, timeoutMs: s.takeover.timeoutS * 1000 })

/**
 * One wall's operation, without Vue or timers: the preset it runs, its
 * rotation, the takeover that holds it, and an operator's choices. Every
 * call says when it is; ./useWallOperation.ts feeds it the clock, the
 * alerts and the keys.
 */
export class WallOperator {
  private rotation: RotationState
  private readonly watch: TakeoverWatch
  /** `id@version` of the preset whose settings (night, language) were last applied. */
  private applied: string | null = null
  private nightOverride: boolean | null = null
  private held: Takeover | null = null
  settings: WallLayoutSettings = DEFAULT_WALL_LAYOUT

  constructor(private readonly overrides: WallOverrides, now: number) {
    this.rotation = startRotation(planOf(this.settings, overrides), now)
    this.watch = new TakeoverWatch(takeoverSettings(this.settings))
  }

  /**
   * Runs a (new or changed) preset, keeping the scene on screen where it
   * can. True when this is a version not seen before: its language should
   * be applied, and an operator's night choice gives way to it.
   */
  adopt(layout: WallLayout, now: number): boolean {
    this.settings = layout
    this.rotation = replan(this.rotation, planOf(layout, this.overrides), now)
    this.watch.configure(takeoverSettings(layout))
    this.update(now)
    const key = `${layout.id}@${layout.version}`
    if (key === this.applied)
      return false
    this.applied = key
    this.nightOverride = null
    return true
  }

  /** The alerts stream's alerts still to be dealt with; the first call is its first snapshot. */
  observeAlerts(alerts: readonly Alert[], now: number): void {
    this.watch.observe(alerts, now)
    this.update(now)
  }

  /** The clock: a takeover may have timed out, a scene may have ended. */
  tick(now: number): void {
    this.update(now)
  }

  private update(now: number): void {
    this.held = this.watch.current(now)
    this.rotation = advance(this.held ? hold(this.rotation, 'takeover', now) : release(this.rotation, 'takeover', now), now)
  }

  togglePause(now: number): void {
    this.rotation = this.rotation.holds.includes('user') ? release(this.rotation, 'user', now) : hold(this.rotation, 'user', now)
  }

  next(now: number): void {
    this.rotation = step(this.rotation, 1, now)
  }

  previous(now: number): void {
    this.rotation = step(this.rotation, -1, now)
  }

  toggleNight(now: number): void {
    this.nightOverride = !this.night(now)
  }

  view(now: number): RotationView {
    return rotationView(this.rotation, now)
  }

  takeover(): Takeover | null {
    return this.held
  }

  night(now: number): boolean {
    return nightOn(this.settings.nightMode, this.settings.nightHours, now, this.nightOverride)
  }
}
