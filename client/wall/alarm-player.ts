import type { ChimeKind } from './alarm'

/**
 * The alarm's sound, made on the spot with the Web Audio API: nothing to
 * download, so a wall on an intranet without internet sounds the same. A
 * critical alert plays a falling two-tone chime twice (about 1.6 s), a
 * major one a single short tone. Each tone is a sine with a fast attack and
 * an exponential decay, so it rings like a bell rather than beeps.
 */

/** What the browser tests read (window.__iocAlarmProbe): chimes actually handed to the audio device. */
export interface AlarmProbe {
  chimes: () => { critical: number, major: number }
  /** The last chimes, oldest first, each at its AudioContext time (s): the gaps between them are the repeat interval. */
  log: () => Array<{ kind: ChimeKind, at: number }>
  /** The AudioContext's current time (s), the log's timeline; -1 before a context exists. */
  audioNow: () => number
  /** The AudioContext's state ('suspended' until a gesture where autoplay is blocked); 'none' before one exists. */
  state: () => AudioContextState | 'none'
  /** The operator's choice (header toggle, key M). */
  enabled: () => boolean
  /**
   * Suspends the context as a browser's autoplay policy would hold it. For
   * tests: headless Chromium never applies that policy itself.
   */
  suspend: () => Promise<void>
}

/** Chimes the log keeps. */
const LOG_LENGTH = 50

interface Tone { hz: number, at: number, length: number, peak: number }

/** Seconds from the chime's start. */
const CHIMES: Record<ChimeKind, readonly Tone[]> = {
  critical: [
    { hz: 988, at: 0, length: 0.38, peak: 0.5 },
    { hz: 740, at: 0.4, length: 0.38, peak: 0.5 },
    { hz: 988, at: 0.85, length: 0.38, peak: 0.5 },
    { hz: 740, at: 1.25, length: 0.38, peak: 0.5 },
  ],
  major: [{ hz: 880, at: 0, length: 0.3, peak: 0.35 }],
}

export class AlarmPlayer {
  private context: AudioContext | null = null
  private readonly played = { critical: 0, major: 0 }
  private readonly log: Array<{ kind: ChimeKind, at: number }> = []

  /** The context, made on first need; null where the browser has no Web Audio. */
  private audio(): AudioContext | null {
    if (this.context === null && typeof AudioContext !== 'undefined')
      this.context = new AudioContext()
    return this.context
  }

  /** Creates the context early, so the wall learns whether the browser lets it play before an alert comes. */
  prepare(): AudioContextState | 'none' {
    return this.audio()?.state ?? 'none'
  }

  get state(): AudioContextState | 'none' {
    return this.context?.state ?? 'none'
  }

  /** Calls back on every state change (suspended → running after a gesture). */
  onStateChange(listener: () => void): void {
    this.audio()?.addEventListener('statechange', listener)
  }

  /** After a click or key: a context held by the autoplay policy may start now. */
  async resume(): Promise<void> {
    const ctx = this.audio()
    if (ctx && ctx.state === 'suspended')
      await ctx.resume().catch(() => {})
  }

  /** Plays one chime; false when the context cannot play (none, suspended, closed). */
  play(kind: ChimeKind): boolean {
    const ctx = this.audio()
    if (!ctx || ctx.state !== 'running')
      return false
    const start = ctx.currentTime + 0.02
    for (const tone of CHIMES[kind]) {
      const osc = ctx.createOscillator()
      const gain = ctx.createGain()
      osc.type = 'sine'
      osc.frequency.value = tone.hz
      const t0 = start + tone.at
      gain.gain.setValueAtTime(0.0001, t0)
      gain.gain.linearRampToValueAtTime(tone.peak, t0 + 0.015)
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + tone.length)
      osc.connect(gain).connect(ctx.destination)
      osc.start(t0)
      osc.stop(t0 + tone.length + 0.02)
      // Disconnected once done: a wall that chimes for months keeps no dead nodes.
      osc.addEventListener('ended', () => gain.disconnect())
    }
    this.played[kind]++
    this.log.push({ kind, at: ctx.currentTime })
    if (this.log.length > LOG_LENGTH)
      this.log.shift()
    return true
  }

  probe(enabled: () => boolean): AlarmProbe {
    return {
      chimes: () => ({ ...this.played }),
      log: () => this.log.map(entry => ({ ...entry })),
      audioNow: () => this.context?.currentTime ?? -1,
      state: () => this.state,
      enabled,
      suspend: async () => {
        await this.context?.suspend()
      },
    }
  }

  async close(): Promise<void> {
    const ctx = this.context
    this.context = null
    if (ctx && ctx.state !== 'closed')
      await ctx.close().catch(() => {})
  }
}
