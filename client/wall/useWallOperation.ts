import type { ComputedRef, Ref } from 'vue'
import { computed, onBeforeUnmount, onMounted, shallowRef, watch } from 'vue'
import type { Alert } from '@shared/schemas/alerts'
import type { SceneId, WallLayout } from '@shared/schemas/wall'
import { WallLayout as WallLayoutSchema } from '@shared/schemas/wall'
import { i18n, localeFromUrl, setLocale } from '@client/i18n'
import { useAlertsStore } from '@client/stores/alerts'
import { useConnectionStore } from '@client/stores/connection'
import { getJson } from '@client/stores/http'
import { useLiveStore } from '@client/stores/live'
import { useSessionStore } from '@client/stores/session'
import { overridesFrom } from './scene-rotation'
import type { Takeover } from './takeover'
import { wallKeyAction } from './wall-keys'
import { WallOperator } from './wall-operator'

/** Walls ask for their preset again this often, to pick up an administrator's change without a reload. */
export const PRESET_REFRESH_MS = 60_000

export interface WallOperationOptions {
  /** The address's query (`?scene=traffic&rotate=0`, `?preset=` for a person); the page's by default. */
  query?: URLSearchParams
  /** The wall's clock for what operators do (keys, buttons); ticks come from the connection store's clock. */
  now?: () => number
}

export interface WallOperation {
  /** The preset the wall runs, once loaded; until then (or if it cannot be loaded) the built-in default runs. */
  preset: Readonly<Ref<WallLayout | null>>
  /** Why the preset could not be loaded, if it could not. */
  presetError: Readonly<Ref<unknown>>
  scene: ComputedRef<SceneId>
  /** The scenes of the rotation, in order. */
  scenes: ComputedRef<readonly SceneId[]>
  /** Whole seconds until the next scene; null when the wall does not rotate. */
  secondsLeft: ComputedRef<number | null>
  /** The current scene's full time, for a progress bar. */
  durationS: ComputedRef<number>
  paused: ComputedRef<boolean>
  togglePause: () => void
  next: () => void
  previous: () => void
  /** The critical alert holding the wall; null when none. */
  takeover: ComputedRef<Alert | null>
  /** The same with when it began and when it lets go, for AlertTakeover.vue. */
  takeoverDetail: ComputedRef<Takeover | null>
  night: ComputedRef<boolean>
  toggleNight: () => void
  toggleLocale: () => void
}

/**
 * Runs the wall: loads its preset (GET /api/wall/current), rotates its
 * scenes on the connection store's one-second clock (no timer of its own),
 * hands the wall to a newly raised critical alert and back, and answers an
 * operator's keys (Space pause, ←/→ scene, N night, L language). The rules
 * are ./wall-operator.ts's; this wires them to the stores, the page and
 * Vue. Everything it registers ends with the component that called it.
 */
export function useWallOperation(options: WallOperationOptions = {}): WallOperation {
  const connection = useConnectionStore()
  const live = useLiveStore()
  const alerts = useAlertsStore()
  const session = useSessionStore()
  const now = options.now ?? ((): number => Date.now())
  const query = options.query ?? new URLSearchParams(globalThis.location?.search ?? '')

  const operator = new WallOperator(overridesFrom(query), now())
  /** Bumped after every change to the operator: what the computeds below track, with the clock. */
  const changes = shallowRef(0)
  const preset = shallowRef<WallLayout | null>(null)
  const presetError = shallowRef<unknown>(null)
  let fetchedAt = Number.NEGATIVE_INFINITY
  let loading = false

  const change = (apply: (at: number) => void, at: number = now()): void => {
    apply(at)
    changes.value++
  }

  async function load(at: number): Promise<void> {
    if (loading)
      return
    loading = true
    fetchedAt = at
    try {
      const wanted = query.get('preset')
      const url = wanted ? `/api/wall/current?preset=${encodeURIComponent(wanted)}` : '/api/wall/current'
      const next = await getJson(url, WallLayoutSchema)
      presetError.value = null
      if (preset.value?.id === next.id && preset.value.version === next.version)
        return
      preset.value = next
      change((t) => {
        // A display speaks its preset's language unless its address names one; a person previewing a preset keeps their own.
        const adopted = operator.adopt(next, t)
        if (adopted && session.info?.principal.kind === 'display' && !localeFromUrl(query.toString()) && i18n.global.locale.value !== next.locale)
          setLocale(next.locale)
      })
    }
    catch (err) {
      // The wall keeps running what it has (the built-in default at worst) and says so.
      presetError.value = err
    }
    finally {
      loading = false
    }
  }

  // The first snapshot of the alerts stream is the baseline; every later change may raise a takeover.
  watch(() => alerts.active, (active) => {
    if (live.view('alerts') !== undefined)
      change(t => operator.observeAlerts(active, t))
  }, { immediate: true })
  watch(() => connection.now, (at) => {
    change(t => operator.tick(t), at)
    if (at - fetchedAt >= PRESET_REFRESH_MS)
      void load(at)
  })

  const view = computed(() => {
    void changes.value
    return operator.view(connection.now)
  })
  const takeoverDetail = computed<Takeover | null>((previous) => {
    void changes.value
    const held = operator.takeover()
    // The same object while the same alert holds the wall: the overlay does not re-render for nothing.
    return held && previous && held.alert === previous.alert && held.since === previous.since && held.endsAt === previous.endsAt ? previous : held
  })
  const night = computed(() => {
    void changes.value
    return operator.night(connection.now)
  })

  const togglePause = (): void => change(t => operator.togglePause(t))
  const next = (): void => change(t => operator.next(t))
  const previous = (): void => change(t => operator.previous(t))
  const toggleNight = (): void => change(t => operator.toggleNight(t))
  const toggleLocale = (): void => setLocale(i18n.global.locale.value === 'en' ? 'zh-CN' : 'en')

  function onKey(e: KeyboardEvent): void {
    const action = wallKeyAction({ key: e.key, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, target: e.target instanceof HTMLElement ? e.target : null })
    if (!action)
      return
    e.preventDefault()
    switch (action) {
      case 'pause': togglePause(); break
      case 'next': next(); break
      case 'previous': previous(); break
      case 'night': toggleNight(); break
      case 'language': toggleLocale(); break
    }
  }
  onMounted(() => {
    window.addEventListener('keydown', onKey)
    void load(now())
  })
  onBeforeUnmount(() => window.removeEventListener('keydown', onKey))

  return {
    preset,
    presetError,
    scene: computed(() => view.value.scene),
    // The same array while the plan is the same: the indicator re-renders on a new preset, not every second.
    scenes: computed<readonly SceneId[]>((previous) => {
      const scenes = view.value.scenes
      return previous?.length === scenes.length && previous.every((scene, i) => scene === scenes[i]) ? previous : scenes
    }),
    secondsLeft: computed(() => view.value.secondsLeft),
    durationS: computed(() => view.value.durationS),
    paused: computed(() => view.value.paused),
    togglePause,
    next,
    previous,
    takeover: computed(() => takeoverDetail.value?.alert ?? null),
    takeoverDetail,
    night,
    toggleNight,
    toggleLocale,
  }
}
