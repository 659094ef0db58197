import type { Ref } from 'vue'
import { computed, onBeforeUnmount, onMounted, ref, watch } from 'vue'
import { useAlertsStore } from '@client/stores/alerts'
import { useConnectionStore } from '@client/stores/connection'
import { useLiveStore } from '@client/stores/live'
import { ALARM_STORAGE_KEY, AlarmWatch, alarmEnabledFrom, alarmRepeatMsFrom, isAlarmKey } from './alarm'
import { AlarmPlayer } from './alarm-player'

export interface WallAlarm {
  /** The operator's choice on this browser, else the preset's; on by default. */
  enabled: Readonly<Ref<boolean>>
  toggle: () => void
  /** On, but the browser holds the sound until someone clicks or presses a key: the wall says so. */
  needsGesture: Readonly<Ref<boolean>>
}

/**
 * Sounds the wall's alarm: the rules of ./alarm.ts on the alerts stream and
 * the connection store's one-second clock (no timer of its own), played by
 * ./alarm-player.ts. M and the header's speaker toggle it; the choice is
 * kept in this browser's localStorage. The first click or key anywhere
 * lets a context the autoplay policy held start (kiosk walls run Chromium
 * with --autoplay-policy=no-user-gesture-required and never need it).
 */
export function useWallAlarm(presetDefault: () => boolean | null, query: URLSearchParams = new URLSearchParams(globalThis.location?.search ?? '')): WallAlarm {
  const alerts = useAlertsStore()
  const live = useLiveStore()
  const connection = useConnectionStore()
  const watcher = new AlarmWatch(alarmRepeatMsFrom(query))
  const player = new AlarmPlayer()
  // This browser's own choice wins; without one, the preset's (on unless an administrator turned it off).
  const stored = globalThis.localStorage?.getItem(ALARM_STORAGE_KEY) ?? null
  const choice = ref<boolean | null>(stored === null ? null : alarmEnabledFrom(stored))
  const enabled = computed(() => choice.value ?? presetDefault() ?? true)
  const state = ref(player.prepare())
  player.onStateChange(() => {
    state.value = player.state
  })

  function sound(at: number): void {
    const kind = watcher.step(at, enabled.value && state.value === 'running')
    if (kind)
      player.play(kind)
  }

  watch(() => alerts.active, (active) => {
    if (live.view('alerts') === undefined)
      return
    watcher.observe(active)
    sound(connection.now)
  }, { immediate: true })
  watch(() => connection.now, sound)
  watch([enabled, state], () => sound(connection.now))

  function toggle(): void {
    choice.value = !enabled.value
    globalThis.localStorage?.setItem(ALARM_STORAGE_KEY, choice.value ? 'on' : 'off')
    void player.resume()
  }
  function onGesture(): void {
    void player.resume()
  }
  function onKey(e: KeyboardEvent): void {
    void player.resume()
    if (!e.repeat && isAlarmKey({ key: e.key, ctrlKey: e.ctrlKey, altKey: e.altKey, metaKey: e.metaKey, target: e.target instanceof HTMLElement ? e.target : null })) {
      e.preventDefault()
      toggle()
    }
  }

  onMounted(() => {
    window.addEventListener('keydown', onKey)
    window.addEventListener('pointerdown', onGesture)
    window.__iocAlarmProbe = player.probe(() => enabled.value)
  })
  onBeforeUnmount(() => {
    window.removeEventListener('keydown', onKey)
    window.removeEventListener('pointerdown', onGesture)
    delete window.__iocAlarmProbe
    void player.close()
  })

  return {
    enabled,
    toggle,
    needsGesture: computed(() => enabled.value && state.value === 'suspended'),
  }
}
