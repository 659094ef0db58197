import type { Ref, ShallowRef } from 'vue'
import { onBeforeUnmount, ref, shallowRef } from 'vue'
import type { StreamName } from '@shared/realtime/streams'
import type { KpiSet } from '@shared/schemas/kpis'
import type { ReplaySpeed } from '@shared/schemas/replay'
import { REPLAY_STREAMS, ReplayAnswer } from '@shared/schemas/replay'
import { getJson } from '@client/stores/http'
import { useLiveStore } from '@client/stores/live'
import { useTrendsStore } from '@client/stores/trends'
import type { ReplayMove } from './replay-player'
import { ReplayPlayer } from './replay-player'

/** The replay clock moves this often while playing: the wall's own UI tick (client/modules/realtime.ts). */
const PLAY_TICK_MS = 250

export interface Replay {
  player: Readonly<ShallowRef<ReplayPlayer | null>>
  /** The replay's clock, epoch ms. */
  position: Readonly<Ref<number>>
  playing: Readonly<Ref<boolean>>
  speed: Ref<ReplaySpeed>
  loading: Readonly<Ref<boolean>>
  error: Readonly<Ref<string | null>>
  load: (from: string, to: string) => Promise<void>
  togglePlay: () => void
  seek: (t: number) => void
}

/**
 * Runs a replay on the wall's stores: fetches the window, then hands the
 * player's mirrors to the live store in place of the live ones (the panels,
 * the map and the KPI tiles read them unchanged) and folds its KPI sets into
 * the trends, whose clock the history-backed panels follow. Playing moves
 * the replay's clock at `speed` × real time; seeking anywhere rebuilds the
 * same state (ReplayPlayer). Leaving the page gives the wall back to the live
 * feed, whose mirrors kept folding all along.
 */
export function useReplay(): Replay {
  const live = useLiveStore()
  const trends = useTrendsStore()
  const player = shallowRef<ReplayPlayer | null>(null)
  const position = ref(0)
  const playing = ref(false)
  const speed = ref<ReplaySpeed>(60)
  const loading = ref(false)
  const error = ref<string | null>(null)
  let lastTick = 0
  let timer: ReturnType<typeof setInterval> | undefined

  /** The trends start again at the replay's clock: its KPI set now, and the day of history before it. */
  function restartTrends(p: ReplayPlayer): void {
    trends.reset()
    const kpis = p.view('kpis') as KpiSet | undefined
    if (kpis)
      trends.applyKpis(kpis)
    void trends.loadHistory(p.position)
  }

  function applied(p: ReplayPlayer, move: ReplayMove): void {
    position.value = p.position
    live.replayMoved(move.moved)
    if (move.rebuilt)
      restartTrends(p)
    else
      move.kpis.forEach(k => trends.applyKpis(k))
    live.flush()
  }

  async function load(from: string, to: string): Promise<void> {
    loading.value = true
    error.value = null
    playing.value = false
    try {
      const answer = await getJson(`/api/replay?${new URLSearchParams({ from, to }).toString()}`, ReplayAnswer)
      const p = new ReplayPlayer(answer)
      player.value = p
      position.value = p.position
      live.startReplay(new Map<StreamName, () => unknown>(REPLAY_STREAMS.map(s => [s, () => p.view(s)])))
      restartTrends(p)
      live.flush()
    }
    catch (err) {
      error.value = err instanceof Error ? err.message : String(err)
    }
    finally {
      loading.value = false
    }
  }

  function seek(t: number): void {
    const p = player.value
    if (p)
      applied(p, p.seek(t))
  }

  function tick(): void {
    const p = player.value
    const now = performance.now()
    const elapsed = now - lastTick
    lastTick = now
    if (!p || !playing.value)
      return
    applied(p, p.seek(p.position + elapsed * speed.value))
    if (p.position >= p.to)
      playing.value = false
  }

  function togglePlay(): void {
    const p = player.value
    if (!p)
      return
    // Play at the end starts over.
    if (!playing.value && p.position >= p.to)
      seek(p.from)
    playing.value = !playing.value
    lastTick = performance.now()
  }

  timer = setInterval(tick, PLAY_TICK_MS)
  onBeforeUnmount(() => {
    clearInterval(timer)
    timer = undefined
    live.stopReplay()
    // The live trends again, from the live KPIs and their day of history.
    trends.reset()
    const kpis = live.view('kpis')
    if (kpis) {
      trends.applyKpis(kpis)
      void trends.loadHistory(Date.parse(kpis.at))
    }
  })

  return { player, position, playing, speed, loading, error, load, togglePlay, seek }
}
