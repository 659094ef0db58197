import { describe, expect, it } from 'vitest'
import type { CityBoundary } from '@shared/schemas/city'
import { ReviewPage } from '@shared/schemas/review'
import { CONGESTION_GRADE_INFO } from '@shared/traffic/congestion'
import { nextSort } from '@client/views/dispatch-kpis/dispatch-rates'
import { locatorFrame } from '@client/views/dispatch/locator'
import { heatEmpty, heatRows } from './review-heatmap'
import { placeHotspots } from './review-hotspots'
import type { LeagueRow } from './review-league'
import { defaultDirection, sortLeague } from './review-league'
import { REVIEW_FIXTURE, reviewFixture } from './review.fixture'

describe('the review fixture', () => {
  it('is a page the contract accepts, for the city, a town and a department', () => {
    expect(ReviewPage.safeParse(REVIEW_FIXTURE).success).toBe(true)
    expect(reviewFixture('town:441900004').traffic?.towns).toEqual([])
    const dept = reviewFixture('dept:dg-eco-env')
    expect([dept.air, dept.traffic, dept.halls]).toEqual([null, null, null])
    expect(dept.hotline.departments.map(d => d.departmentId)).toEqual(['dg-eco-env'])
  })
})

const row = (name: string, c: Partial<LeagueRow>): LeagueRow => ({
  departmentId: name, name, accepted: 0, dispatched: 0, signed: 0, signedOnTime: 0, closed: 0, closedOnTime: 0, resolved: 0, revisited: 0, satisfied: 0, returned: 0, reopened: 0, ...c,
})

describe(sortLeague.name, () => {
  const rows = [
    row('乙局', { accepted: 50, closed: 10, resolved: 9, dispatched: 40, returned: 4 }),
    row('甲局', { accepted: 80, closed: 10, resolved: 10, dispatched: 40, returned: 1 }),
    row('丙局', { accepted: 3, dispatched: 3 }),
  ]
  it('sorts by a rate as the dispatch KPIs rank ("—" last) and by requests, most first', () => {
    expect(sortLeague(rows, 'resolution', 'desc').map(r => r.name)).toEqual(['甲局', '乙局', '丙局'])
    // 退单率: 丙 0 of 3, 甲 1 of 40, 乙 4 of 40; fewest first.
    expect(sortLeague(rows, 'returns', 'asc').map(r => r.name)).toEqual(['丙局', '甲局', '乙局'])
    expect(sortLeague(rows, 'accepted', 'desc').map(r => r.name)).toEqual(['甲局', '乙局', '丙局'])
    expect(sortLeague(rows, 'accepted', 'asc').map(r => r.name)).toEqual(['丙局', '乙局', '甲局'])
  })

  it('turns the direction on a second click, and starts best first on another column', () => {
    expect(nextSort({ key: 'resolution', direction: 'desc' }, 'resolution', defaultDirection)).toEqual({ key: 'resolution', direction: 'asc' })
    expect(nextSort({ key: 'resolution', direction: 'asc' }, 'reopens', defaultDirection)).toEqual({ key: 'reopens', direction: 'asc' })
    expect(nextSort({ key: 'reopens', direction: 'asc' }, 'accepted', defaultDirection)).toEqual({ key: 'accepted', direction: 'desc' })
  })
})

describe(heatRows.name, () => {
  it('colours each hour by its congestion grade and leaves gaps blank', () => {
    const rows = heatRows([[1.5, 5, 8.2, null]])
    expect(rows[0]!.map(c => c.color)).toEqual([CONGESTION_GRADE_INFO[0].color, CONGESTION_GRADE_INFO[2].color, CONGESTION_GRADE_INFO[4].color, null])
    expect(rows[0]![1]!.ink).toBe('#0b1526')
    expect(heatEmpty([[null, null]])).toBe(true)
    expect(heatEmpty(REVIEW_FIXTURE.traffic!.tpiByWeekdayHour)).toBe(false)
  })
})

describe(placeHotspots.name, () => {
  const ring: [number, number][] = [[113, 22], [114, 22], [114, 23], [113, 23], [113, 22]]
  const square: CityBoundary = { type: 'Feature', properties: { name: 'x' }, geometry: { type: 'Polygon', coordinates: [ring] } }
  it('sizes circles by area and draws the largest first', () => {
    const frame = locatorFrame(square, 400)
    const placed = placeHotspots([
      { lng: 113.5, lat: 22.5, count: 4, topic: 'environment', townCode: null },
      { lng: 113.2, lat: 22.8, count: 16, topic: 'market', townCode: '441900004' },
    ], frame)
    expect(placed.map(p => p.count)).toEqual([16, 4])
    // A quarter of the count: half the radius above the floor.
    expect(placed[0]!.r).toBe(18)
    expect(placed[1]!.r).toBe(4 + 14 * 0.5)
    expect(placed[1]!.x).toBeCloseTo(frame.project({ lng: 113.5, lat: 22.5 }).x)
  })
})
