/** The incident repository's contract, on every store implementation (see store.contract.test.ts). */
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Incident, IncidentReport } from '@shared/schemas/incidents'
import type { Store } from './repositories'
import type { OpenedStore } from './store.backends'
import { contractBackends } from './store.backends'

const { backends } = await contractBackends()

const T0 = Date.parse('2026-11-23T00:00:00.000Z')
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString()

/** Version `versionMin` of ticket `ticketNo`, reported at `reportedMin`, with the incident derived from it. */
function version(ticketNo: string, versionMin: number, o: { reportedMin?: number, status?: 'open' | 'closed', source?: string, id?: string } = {}): { incident: Incident, report: IncidentReport } {
  const source = o.source ?? 'hotline'
  const report: IncidentReport = {
    ticketNo,
    version: at(versionMin),
    reportedAt: at(o.reportedMin ?? 0),
    nature: 'complaint',
    topic: 'environment',
    urgency: 'normal',
    status: o.status ?? 'open',
    title: `夜间施工噪声扰民 ${ticketNo}`,
    description: `第 ${versionMin} 分钟的版本`,
    location: { lng: 113.78, lat: 23.035 },
  }
  const incident: Incident = {
    ...report,
    id: o.id ?? `${source}:${ticketNo}`,
    source,
    townCode: '441900003',
    departmentId: 'DG-DEPT-ENV',
    dueAt: at(2 * 24 * 60),
    receivedAt: at(o.reportedMin ?? 0),
    updatedAt: at(versionMin + 1),
  }
  return { incident, report }
}

describe.each(backends.map(b => [b.name, b] as const))('%s store: incidents', (_name, backend) => {
  let opened: OpenedStore | undefined
  let store: Store
  beforeEach(async () => {
    opened = await backend.open()
    store = opened.store
  })
  // Optional: a failed open leaves nothing to dispose.
  afterEach(() => opened?.dispose())

  it('tells created, updated, late and duplicate apart in one save, keeps every version and only the newest as current', async () => {
    const outcomes = await store.incidents.save([version('GD-1', 10), version('GD-1', 30), version('GD-1', 20), version('GD-1', 30), version('GD-2', 5)])
    expect(outcomes).toEqual(['created', 'updated', 'late', 'duplicate', 'created'])
    expect(await store.incidents.save([version('GD-1', 10), version('GD-1', 40, { status: 'closed' })])).toEqual(['duplicate', 'updated'])
    expect(await store.incidents.save([])).toEqual([])

    expect(await store.incidents.get('hotline:GD-1')).toEqual(version('GD-1', 40, { status: 'closed' }).incident)
    expect(await store.incidents.get('hotline:GD-404')).toBeUndefined()
    expect(await store.incidents.versions('hotline:GD-1')).toEqual([10, 20, 30, 40].map((m) => {
      const v = version('GD-1', m, m === 40 ? { status: 'closed' } : {})
      return { version: v.report.version, receivedAt: v.incident.updatedAt, report: v.report }
    }))
    expect(await store.incidents.versions('hotline:GD-404')).toEqual([])
  })

  it('saves all of a batch or none of it', async () => {
    // The second item cannot be stored (a deadline the table requires is missing): the first must not stay either.
    const broken = version('GD-2', 20)
    const bad = [version('GD-1', 10), { ...broken, incident: { ...broken.incident, dueAt: null as unknown as string } }]
    await expect(store.incidents.save(bad)).rejects.toThrow()
    expect(await store.incidents.get('hotline:GD-1')).toBeUndefined()
    expect(await store.incidents.versions('hotline:GD-1')).toEqual([])
    expect(await store.incidents.save([version('GD-1', 10)])).toEqual(['created'])
  })

  it('lists the newest reports first, by status and up to the limit', async () => {
    await store.incidents.save([
      version('GD-1', 100, { reportedMin: 10 }),
      version('GD-2', 100, { reportedMin: 30, status: 'closed' }),
      version('GD-3', 100, { reportedMin: 20 }),
      version('GD-4', 100, { reportedMin: 40 }),
    ])
    const tickets = (list: Incident[]): string[] => list.map(i => i.ticketNo)
    expect(tickets(await store.incidents.list({ limit: 10 }))).toEqual(['GD-4', 'GD-2', 'GD-3', 'GD-1'])
    expect(tickets(await store.incidents.list({ limit: 2, status: 'open' }))).toEqual(['GD-4', 'GD-3'])
    expect(tickets(await store.incidents.list({ limit: 10, status: 'closed' }))).toEqual(['GD-2'])
  })

  it('counts orders by the hour they were reported, each order once whatever its versions and state, within [from, to)', async () => {
    await store.incidents.save([
      version('H0-A', 5, { reportedMin: 0 }),
      version('H0-B', 70, { reportedMin: 59, status: 'closed' }),
      version('H1-A', 61, { reportedMin: 60 }),
      version('H2-A', 130, { reportedMin: 125 }),
      version('H3-A', 200, { reportedMin: 180 }),
      version('BEFORE', 10, { reportedMin: -1 }),
    ])
    // A later version of an order reported in the first hour: still one order, still the first hour.
    await store.incidents.save([version('H0-A', 90, { reportedMin: 0, status: 'closed' })])
    expect(await store.incidents.intakeByHour({ from: at(0), to: at(180) })).toEqual([
      { t: at(0), count: 2 },
      { t: at(60), count: 1 },
      { t: at(120), count: 1 },
    ])
    // Any spelling of the bounds: the same instants.
    expect(await store.incidents.intakeByHour({ from: '2026-11-23T08:00:00+08:00', to: '2026-11-23T09:00:00+08:00' })).toEqual([{ t: at(0), count: 2 }])
    expect(await store.incidents.intakeByHour({ from: at(240), to: at(300) })).toEqual([])
  })

  it('gives the current incidents: every open one and those reported or closed since `closedSince`, newest report first', async () => {
    await store.incidents.save([
      version('OPEN-OLD', 100, { reportedMin: -600 }),
      // Reported long ago but closed after closedSince: today's closure counts.
      version('CLOSED-LATELY', 100, { reportedMin: -300, status: 'closed' }),
      version('CLOSED-LONG-AGO', -200, { reportedMin: -300, status: 'closed' }),
      version('CLOSED-NEW', 100, { reportedMin: 30, status: 'closed' }),
      version('OPEN-NEW', 100, { reportedMin: 40 }),
    ])
    const current = await store.incidents.current({ closedSince: at(0), limit: 10 })
    expect(current.map(i => i.ticketNo)).toEqual(['OPEN-NEW', 'CLOSED-NEW', 'CLOSED-LATELY', 'OPEN-OLD'])
    expect((await store.incidents.current({ closedSince: at(0), limit: 1 })).map(i => i.ticketNo)).toEqual(['OPEN-NEW'])
  })

  it('takes concurrent saves of one new incident: one creates it, the newest version wins, every version is kept', async () => {
    const minutes = Array.from({ length: 12 }, (_, i) => (i * 7) % 12)
    const outcomes = (await Promise.all(minutes.map(m => store.incidents.save([version('GD-9', m)])))).flat()
    expect(outcomes.filter(o => o === 'created')).toHaveLength(1)
    expect(outcomes.filter(o => o === 'duplicate')).toHaveLength(0)
    expect((await store.incidents.get('hotline:GD-9'))?.version).toBe(at(11))
    expect((await store.incidents.versions('hotline:GD-9')).map(v => v.version)).toEqual(minutes.map(at).sort())
  })
})
