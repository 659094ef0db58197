import { StreamMirror } from '@shared/realtime/mirror'
import type { KpiSet } from '@shared/schemas/kpis'
import type { ReplayAnswer, ReplayFrame, ReplayStream } from '@shared/schemas/replay'
import { REPLAY_STREAMS } from '@shared/schemas/replay'

type Mirrors = { [S in ReplayStream]?: StreamMirror<S> }

/** What one move of the player changed. */
export interface ReplayMove {
  /** The streams whose state changed. */
  moved: Set<ReplayStream>
  /** The KPI sets passed, in order (the trends fold them in). */
  kpis: KpiSet[]
  /** It went back: the state was rebuilt from the window's start. */
  rebuilt: boolean
}

/**
 * Plays a replay's frames into one mirror per stream, the reducers the live
 * wall folds its events with (shared/realtime/mirror.ts). The state at a
 * time t is the start folded with every frame at or before t, whichever way
 * the player got there: going forward folds the frames passed, going back
 * starts again from the window's start. No clock of its own: the caller
 * says where to be.
 */
export class ReplayPlayer {
  readonly from: number
  readonly to: number
  private readonly times: number[]
  private mirrors: Mirrors = {}
  /** Frames before this index are folded in. */
  private next = 0
  private at: number

  constructor(private readonly answer: ReplayAnswer) {
    this.from = Date.parse(answer.from)
    this.to = Date.parse(answer.to)
    this.times = answer.frames.map(f => Date.parse(f.at))
    this.at = this.from
    this.restart()
  }

  /** The replay's clock: where the state is. */
  get position(): number {
    return this.at
  }

  get frames(): readonly ReplayFrame[] {
    return this.answer.frames
  }

  /** Moves the state to `t` (clamped to the window). */
  seek(t: number): ReplayMove {
    const target = Math.min(Math.max(t, this.from), this.to)
    const move: ReplayMove = { moved: new Set(), kpis: [], rebuilt: false }
    if (target < this.at) {
      this.restart()
      move.rebuilt = true
      for (const s of REPLAY_STREAMS) move.moved.add(s)
    }
    while (this.next < this.times.length && (this.times[this.next] as number) <= target) {
      const frame = this.answer.frames[this.next] as ReplayFrame
      this.fold(frame)
      move.moved.add(frame.stream)
      if (frame.stream === 'kpis')
        move.kpis.push(frame.data)
      this.next++
    }
    this.at = target
    return move
  }

  /** A stream's state as the wall reads it (StreamView); undefined for KPIs before the first set. */
  view(stream: ReplayStream): unknown {
    return this.mirrors[stream]?.view()
  }

  /** Each stream's digest (the live checksum's): two players in the same state have the same. */
  digest(): Record<ReplayStream, string | null> {
    return Object.fromEntries(REPLAY_STREAMS.map(s => [s, this.mirrors[s]?.digest() ?? null])) as Record<ReplayStream, string | null>
  }

  private restart(): void {
    const start = this.answer.start
    this.mirrors = {
      air: new StreamMirror('air', start.air),
      traffic: new StreamMirror('traffic', start.traffic),
      halls: new StreamMirror('halls', start.halls),
      incidents: new StreamMirror('incidents', start.incidents),
      alerts: new StreamMirror('alerts', start.alerts),
      ...(start.kpis ? { kpis: new StreamMirror('kpis', start.kpis) } : {}),
    }
    this.next = 0
    this.at = this.from
  }

  private fold(frame: ReplayFrame): void {
    switch (frame.stream) {
      case 'air': this.mirrors.air?.apply(frame.data); break
      case 'traffic': this.mirrors.traffic?.apply(frame.data); break
      case 'halls': this.mirrors.halls?.apply(frame.data); break
      case 'incidents': this.mirrors.incidents?.apply(frame.data); break
      case 'alerts': this.mirrors.alerts?.apply(frame.data); break
      case 'kpis':
        if (this.mirrors.kpis)
          this.mirrors.kpis.apply(frame.data)
        else
          this.mirrors.kpis = new StreamMirror('kpis', frame.data)
        break
    }
  }
}
