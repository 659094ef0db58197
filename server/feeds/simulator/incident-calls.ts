import type { IncidentNature, IncidentReportInput } from '@shared/schemas/incidents'
import type { Random } from '../random'
import { compactDate, isoSecond, localTime } from './china-time'
import type { CityIndex, Point, TownInfo } from './city-index'
import type { IncidentTemplate } from './incident-templates'
import { GENERIC_ROADS, NATURE_WORDING, PLACES } from './incident-templates'

/** One call as the simulator decided it; the writer turns it into a work order. */
export interface CallSpec {
  template: IncidentTemplate
  nature: IncidentNature
  town: TownInfo
  location: Point
  reportedAt: number
  urgent: boolean
}

/** A work order as upstream sends it, every optional field filled. */
export type SimReport = IncidentReportInput & { status: 'open' | 'closed', description: string, version: string }

/** Ticket numbers restart each local day; older days are forgotten. */
const KEEP_DAYS = 3

/**
 * Writes work orders the way a 12345 platform does: a ticket number, a title
 * and a description from the call's template with a real-looking address in
 * the caller's town, and the handling unit the routing table names.
 */
export class CallWriter {
  private readonly counters = new Map<string, number>()

  /** `runTag` keeps two runs (a restart, another seed) from issuing the same ticket numbers. */
  constructor(private readonly index: CityIndex, private readonly runTag: string) {}

  write(spec: CallSpec, rng: Random): SimReport {
    const roads = this.index.roadsOf(spec.town.code)
    const road = rng.pick(roads.length > 0 ? roads : GENERIC_ROADS)
    const place = rng.pick(PLACES)
    const fill = (text: string): string => text
      .replaceAll('{town}', spec.town.short)
      .replaceAll('{road}', road)
      .replaceAll('{place}', place)
    const address = spec.template.title.includes('{road}') || spec.template.detail.includes('{road}')
      ? `${spec.town.name}${road}${rng.int(1, 399)}号附近`
      : `${spec.town.name}${place}`
    const wording = NATURE_WORDING[spec.nature]
    const agency = this.agency(spec)
    const reportedAt = isoSecond(spec.reportedAt)
    return {
      ticketNo: this.ticketNo(spec.reportedAt),
      // The operator files the order a minute or two after the call; the first version is that moment.
      version: isoSecond(spec.reportedAt + rng.between(30_000, 180_000)),
      reportedAt,
      nature: spec.nature,
      topic: spec.template.topic,
      urgency: spec.urgent ? 'urgent' : 'normal',
      status: 'open',
      title: fill(spec.template.title),
      description: `${wording.opener}${fill(spec.template.detail)}（地址：${address}）。${wording.closer}`,
      address,
      location: { lng: spec.location.lng, lat: spec.location.lat },
      townCode: spec.town.code,
      ...(agency ? { agency } : {}),
    }
  }

  private ticketNo(reportedAt: number): string {
    const date = compactDate(localTime(reportedAt))
    const n = (this.counters.get(date) ?? 0) + 1
    this.counters.set(date, n)
    if (this.counters.size > KEEP_DAYS) {
      const oldest = [...this.counters.keys()].sort()[0]
      if (oldest !== undefined && oldest !== date)
        this.counters.delete(oldest)
    }
    return `GD12345-${date}-${this.runTag}-${String(n).padStart(6, '0')}`
  }

  /** 承办单位: the routing table's department, or the town's own government for local matters. */
  private agency(spec: CallSpec): string | undefined {
    const city = this.index.city
    const id = city.routing[spec.template.topic]
    if (id === undefined)
      return undefined
    if (id === 'town') {
      const name = spec.town.name
      return name.endsWith('街道') ? `${name}办事处` : name.endsWith('镇') ? `${name}人民政府` : `${name}管委会`
    }
    return city.departments.find(d => d.id === id)?.name
  }
}
