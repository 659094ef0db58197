import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { KPI_KEYS } from '@shared/schemas/kpis'
import { openSqliteStore } from '@server/store/sqlite'
import { kpiValue, seedKpiHistory, seedSamples } from './history-seed'

const NOW = Date.parse('2026-11-24T08:00:00Z')
const HOUR = 3_600_000

describe('the seeded KPI history', () => {
  it('has a sample of every KPI each minute of the last day, sparser before', () => {
    const samples = seedSamples(NOW - 48 * HOUR, NOW)
    const times = [...new Set(samples.map(s => Date.parse(s.observedAt)))]
    expect(samples).toHaveLength(times.length * KPI_KEYS.length)
    const recent = times.filter(t => t >= NOW - 24 * HOUR)
    expect(recent).toHaveLength(24 * 60)
    expect(times.filter(t => t < NOW - 26 * HOUR).length).toBeLessThan(22 * 60 / 5)
  })

  it('follows the day: halls busy in the afternoon, quiet before dawn; counts whole, never negative', () => {
    const afternoon = Date.parse('2026-11-24T08:00:00Z')
    const night = Date.parse('2026-11-23T20:00:00Z')
    expect(kpiValue('halls.waiting', afternoon)).toBeGreaterThan(kpiValue('halls.waiting', night))
    for (const key of KPI_KEYS) {
      for (const t of [afternoon, night])
        expect(kpiValue(key, t)).toBeGreaterThanOrEqual(0)
    }
    expect(Number.isInteger(kpiValue('incidents.open', afternoon))).toBe(true)
  })

  it('is what the history answers for the last day, per five minutes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ioc-seed-'))
    try {
      const file = join(dir, 'ioc.db')
      await seedKpiHistory(file, NOW, 2)
      const store = await openSqliteStore(file)
      const rows = await store.history.query({ resolution: 'minute', kind: 'kpi', entityId: 'traffic.tpi', metric: 'value', from: new Date(NOW - 24 * HOUR).toISOString(), to: new Date(NOW).toISOString() })
      await store.close()
      expect(rows).toHaveLength(24 * 60)
      expect(rows[0]?.mean).toBe(kpiValue('traffic.tpi', NOW - 24 * HOUR))
    }
    finally {
      await rm(dir, { recursive: true, force: true })
    }
  })
})
