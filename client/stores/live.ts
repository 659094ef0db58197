import { acceptHMRUpdate, defineStore } from 'pinia'
import type { ShallowRef } from 'vue'
import { computed, shallowRef } from 'vue'
import type { StreamView } from '@shared/realtime/mirror'
import type { StreamName } from '@shared/realtime/streams'
import { StreamName as StreamNames } from '@shared/realtime/streams'
import { staleAfterMsFor } from '@client/realtime/connection-state'
import type { StreamHealth } from '@client/realtime/stream-health'
import { streamHealth } from '@client/realtime/stream-health'
import { useConnectionStore } from './connection'

const STREAMS = StreamNames.options

type PerStream<T> = { [S in StreamName]: T }
const perStream = <T>(value: (stream: StreamName) => T): PerStream<T> =>
  Object.fromEntries(STREAMS.map(s => [s, value(s)])) as PerStream<T>

/** Whether a stream's state has anything for its panels; alerts and KPIs always have (none is an answer). */
function hasData<S extends StreamName>(stream: S, view: StreamView<S>): boolean {
  const v = view as StreamView<StreamName>
  switch (stream) {
    case 'air': return (v as StreamView<'air'>).readings.size > 0
    case 'traffic': return (v as StreamView<'traffic'>).segments.size > 0
    case 'halls': return (v as StreamView<'halls'>).halls.size > 0
    case 'incidents': return (v as StreamView<'incidents'>).incidents.size > 0
    case 'feed-health': return (v as StreamView<'feed-health'>).feeds.length > 0
    default: return true
  }
}

/**
 * Every stream's state as the wall reads it, and its health. The states are
 * the subscriptions' mirrors themselves (shared/realtime/mirror.ts: the same
 * fold the checksum verifies), read in place and never copied into reactive
 * state; what is reactive is one revision number per stream, bumped at most
 * once per UI tick by `flush`, however many events arrived. Panels derive
 * what they show inside `computed`s that read `view()` (which tracks the
 * revision); the map reads the Maps directly and diffs them.
 */
export const useLiveStore = defineStore('live', () => {
  const connection = useConnectionStore()
  const readers = new Map<StreamName, () => unknown>()
  const revisions: PerStream<ShallowRef<number>> = perStream(() => shallowRef(0))
  /** Streams that took data since the last flush, with when. */
  const pending = new Map<StreamName, number>()
  const lastDataAt = shallowRef<PerStream<number | null>>(perStream(() => null))
  /** The expected rhythm of each periodic stream (GET /api/meta); absent ones have none. */
  const rhythmMs = shallowRef<Partial<PerStream<number>>>({})

  /**
   * A replay (client/replay) in progress: the wall reads its streams from the
   * replay's mirrors instead. The live subscriptions go on folding in the
   * background, unseen, so that leaving the replay shows the live wall at once.
   */
  const replayReaders = shallowRef<ReadonlyMap<StreamName, () => unknown> | null>(null)

  function startReplay(read: ReadonlyMap<StreamName, () => unknown>): void {
    replayReaders.value = read
    replayMoved(read.keys())
  }
  /** The replay moved its streams' state: panels see it at the next flush. */
  function replayMoved(streams: Iterable<StreamName>): void {
    for (const stream of streams)
      pending.set(stream, Date.now())
  }
  function stopReplay(): void {
    const replayed = replayReaders.value
    replayReaders.value = null
    if (replayed)
      replayMoved(replayed.keys())
    flush()
  }

  /** The realtime module hands over how to read a stream's folded state. */
  function attach<S extends StreamName>(stream: S, read: () => StreamView<S> | undefined): void {
    readers.set(stream, read)
  }

  /** A stream folded in a snapshot or an event; panels see it at the next flush. */
  function applied(stream: StreamName, at: number = Date.now()): void {
    if (replayReaders.value?.has(stream))
      return
    pending.set(stream, at)
  }

  /** The UI tick: one reactive change per stream that moved since the last one. */
  function flush(): void {
    if (pending.size === 0)
      return
    const last = { ...lastDataAt.value }
    for (const [stream, at] of pending) {
      last[stream] = at
      revisions[stream].value += 1
    }
    pending.clear()
    lastDataAt.value = last
  }

  /** The data comes from the built-in simulator, whose clock may run ahead of the wall's. */
  const simulated = shallowRef(false)

  function expectRhythm(rhythm: Partial<PerStream<number>>): void {
    rhythmMs.value = rhythm
  }

  /** A stream's state, tracked: a computed that calls this recomputes once per tick that moved the stream. */
  function view<S extends StreamName>(stream: S): StreamView<S> | undefined {
    void revisions[stream].value
    return (replayReaders.value?.get(stream) ?? readers.get(stream))?.() as StreamView<S> | undefined
  }

  /** The stream's revision, for watchers that diff the state themselves (the map). */
  function revision(stream: StreamName): number {
    return revisions[stream].value
  }

  // The clock ticks every second; a health that did not change stays the same object, so panels do not re-render.
  const health = perStream(stream => computed<StreamHealth>((previous) => {
    const v = view(stream)
    const every = rhythmMs.value[stream]
    // A replayed stream is as current as the replay's clock: the live link's state says nothing about it.
    const replayed = replayReaders.value?.has(stream) === true
    const next = streamHealth({
      connection: replayed ? 'live' : connection.state,
      hasData: v === undefined ? undefined : hasData(stream, v),
      lastDataAt: lastDataAt.value[stream],
      staleAfterMs: every === undefined || replayed ? null : staleAfterMsFor(every),
      now: connection.now,
    })
    return previous?.state === next.state && previous.since === next.since ? previous : next
  }))

  const replaying = computed(() => replayReaders.value !== null)

  return { attach, applied, flush, expectRhythm, view, revision, health, lastDataAt, simulated, replaying, startReplay, replayMoved, stopReplay }
})

export type LiveStore = ReturnType<typeof useLiveStore>

if (import.meta.hot)
  import.meta.hot.accept(acceptHMRUpdate(useLiveStore, import.meta.hot))
