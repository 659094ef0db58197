import type { AqiLevel } from '@shared/air/levels'
import type { Pollutant } from '@shared/schemas/air'
import type { IncidentTopic } from '@shared/schemas/incident-kinds'
import type { DailyAqiPoint, HotlineReview, PeriodCounts, ReviewPage, ReviewScope } from '@shared/schemas/review'
import { ReviewPage as ReviewPageSchema } from '@shared/schemas/review'

/**
 * A realistic week of Dongguan for the review's unit tests (and for work on
 * the page before the server answered): 2026-11-27 to 2026-12-03 against the
 * week before, with the city model's real town codes, hall and department
 * ids. Not shipped with the page: only tests import it.
 */

const DAYS = ['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03']
const TOWNS = ['441900004', '441900003', '441900006', '441900121', '441900119', '441900122', '441900110', '441900116', '441900111', '441900113', '441900118', '441900401']

const level = (aqi: number): AqiLevel => (aqi <= 50 ? 1 : aqi <= 100 ? 2 : aqi <= 150 ? 3 : aqi <= 200 ? 4 : aqi <= 300 ? 5 : 6)
const AQIS = [46, 58, 72, 104, 88, 63, 39]
const PRIMARY: Pollutant[][] = [[], ['pm25'], ['o3_8h'], ['o3_8h'], ['pm25'], ['pm10'], []]
const airDays: DailyAqiPoint[] = DAYS.map((day, i) => ({
  day,
  aqi: AQIS[i]!,
  level: level(AQIS[i]!),
  primary: PRIMARY[i]!,
  pm25: [21, 33, 29, 41, 52, 35, 18][i]!,
  o3_8h: [88, 120, 152, 168, 101, 96, 72][i]!,
  // 2026-11-30 lost too many hours to a station outage: shown, not counted by level.
  valid: i !== 3,
}))

/** Work peaks at 08 and 18 on weekdays, a flatter weekend. */
function tpiAt(weekday: number, hour: number): number | null {
  if (weekday === 6 && hour < 2)
    return null
  const peak = weekday < 5 ? 3.6 * Math.exp(-((hour - 8) ** 2) / 2) + 4.1 * Math.exp(-((hour - 18) ** 2) / 2.5) : 1.8 * Math.exp(-((hour - 15) ** 2) / 8)
  return Math.round((1.1 + peak + (hour >= 7 && hour <= 21 ? 1.2 : 0)) * 10) / 10
}

const counts = (n: number, shift = 0): PeriodCounts => ({
  accepted: Math.round(n * 1.08),
  dispatched: n,
  signed: Math.max(0, n - 3),
  signedOnTime: Math.round(Math.max(0, n - 3) * (0.96 - shift)),
  closed: Math.round(n * 0.86),
  closedOnTime: Math.round(n * 0.86 * (0.9 - shift)),
  resolved: Math.round(n * 0.86 * (0.93 - shift)),
  revisited: Math.round(n * 0.6),
  satisfied: Math.round(n * 0.6 * (0.95 - shift)),
  returned: Math.round(n * Math.max(0, 0.03 + shift)),
  reopened: Math.round(n * 0.6 * Math.max(0, 0.02 + shift)),
})
const add = (a: PeriodCounts, b: PeriodCounts): PeriodCounts =>
  Object.fromEntries(Object.entries(a).map(([k, v]) => [k, v + b[k as keyof PeriodCounts]])) as PeriodCounts

const DEPARTMENTS: [string, number, number][] = [
  ['dg-urban-mgmt', 2140, 0.01],
  ['dg-eco-env', 860, -0.02],
  ['dg-transport', 720, 0.04],
  ['dg-housing', 640, 0.06],
  ['dg-market', 590, -0.01],
  ['dg-hrss', 410, 0.02],
  ['dg-water', 380, 0],
  ['town-441900004', 330, 0.03],
  ['town-441900121', 300, 0.08],
  ['town-441900119', 280, -0.03],
  ['dg-public-security', 0, 0],
]
const departments = DEPARTMENTS.map(([departmentId, n, shift]) => ({ departmentId, ...counts(n, shift) }))
// A department with orders but nothing closed yet: its rates are "—".
departments[departments.length - 1] = { ...departments.at(-1)!, accepted: 3, dispatched: 3, signed: 2, signedOnTime: 2 }
const cityCounts = departments.reduce<PeriodCounts>((sum, d) => add(sum, d), counts(0))

const TOPICS: [IncidentTopic, number, number][] = [
  ['city-management', 2310, 2190],
  ['environment', 930, 1010],
  ['transport', 780, 705],
  ['housing', 690, 720],
  ['market', 640, 600],
  ['labour', 450, 520],
  ['utilities', 410, 380],
  ['local', 360, 340],
  ['public-security', 120, 140],
  ['health', 95, 90],
  ['education', 80, 110],
  ['emergency', 40, 35],
]

const HOTSPOTS: HotlineReview['hotspots'] = [
  { lng: 113.748, lat: 23.012, count: 41, topic: 'environment', townCode: '441900004' },
  { lng: 113.673, lat: 22.818, count: 33, topic: 'city-management', townCode: '441900121' },
  { lng: 113.803, lat: 22.806, count: 27, topic: 'environment', townCode: '441900119' },
  { lng: 113.995, lat: 22.975, count: 19, topic: 'city-management', townCode: '441900110' },
  { lng: 114.093, lat: 22.807, count: 14, topic: 'market', townCode: '441900116' },
  { lng: 113.781, lat: 23.036, count: 11, topic: 'housing', townCode: '441900003' },
  { lng: 113.671, lat: 22.937, count: 8, topic: 'transport', townCode: '441900122' },
  { lng: 113.89, lat: 22.925, count: 5, topic: 'environment', townCode: '441900401' },
]

const HALLS: [string, number, number][] = [
  ['DG-HALL-CITY', 9820, 17.5],
  ['DG-HALL-NANCHENG', 4310, 12.1],
  ['DG-HALL-HUMEN', 3980, 22.4],
  ['DG-HALL-CHANGAN', 3720, 19.8],
  ['DG-HALL-DONGCHENG', 3150, 9.6],
  ['DG-HALL-HOUJIE', 2840, 14.2],
  ['DG-HALL-CHANGPING', 2610, 31.5],
  ['DG-HALL-TANGXIA', 2380, 11.7],
  ['DG-HALL-LIAOBU', 2120, 8.3],
  ['DG-HALL-DALANG', 1990, 7.9],
]

export const REVIEW_FIXTURE: ReviewPage = ReviewPageSchema.parse({
  scope: 'city',
  name: '东莞市',
  range: '7d',
  period: { from: '2026-11-27', to: '2026-12-03', fromAt: '2026-11-26T16:00:00Z', toAt: '2026-12-03T16:00:00Z', days: 7, partial: false },
  previous: { from: '2026-11-20', to: '2026-11-26', fromAt: '2026-11-19T16:00:00Z', toAt: '2026-11-26T16:00:00Z', days: 7, partial: false },
  generatedAt: '2026-12-04T01:12:00Z',
  air: {
    stations: 33,
    days: airDays,
    hours: [],
    validDays: { value: 6, previous: 7 },
    daysByLevel: [{ level: 1, days: 2 }, { level: 2, days: 4 }, { level: 3, days: 0 }, { level: 4, days: 0 }, { level: 5, days: 0 }, { level: 6, days: 0 }],
    goodShare: { value: 1, previous: 6 / 7 },
    aqiMean: { value: 67.1, previous: 74.6 },
    pm25: { value: 32.7, previous: 36.1 },
    pm10: { value: 51.3, previous: 49.8 },
    no2: { value: 28.4, previous: 31 },
    o3_8h: { value: 113.9, previous: 128.2 },
    primaryDays: [{ pollutant: 'o3_8h', days: 2 }, { pollutant: 'pm25', days: 2 }, { pollutant: 'pm10', days: 1 }],
  },
  traffic: {
    tpiByWeekdayHour: Array.from({ length: 7 }, (_, w) => Array.from({ length: 24 }, (_, h) => tpiAt(w, h))),
    tpiMean: { value: 3.42, previous: 3.18 },
    peakTpi: { value: 6.35, previous: 5.96 },
    days: DAYS.map((day, i) => ({ day, tpi: [3.9, 2.4, 2.1, 3.8, 3.7, 4.1, 3.9][i]! })),
    corridors: [
      { name: '莞太路', roadClass: 'arterial', lengthKm: 24.7, congestedShare: 0.214, previousShare: 0.188 },
      { name: '东莞大道', roadClass: 'arterial', lengthKm: 30.7, congestedShare: 0.187, previousShare: 0.193 },
      { name: '莞樟路', roadClass: 'arterial', lengthKm: 38, congestedShare: 0.162, previousShare: 0.131 },
      { name: '广深高速', roadClass: 'expressway', lengthKm: 50.6, congestedShare: 0.141, previousShare: 0.152 },
      { name: '松山湖大道', roadClass: 'arterial', lengthKm: 16.8, congestedShare: 0.118, previousShare: null },
      { name: '长虎路', roadClass: 'arterial', lengthKm: 13.5, congestedShare: 0.097, previousShare: 0.101 },
    ],
    towns: TOWNS.map((townCode, i) => ({ townCode, tpi: Math.round((4.6 - i * 0.22) * 100) / 100, peakTpi: Math.round((7.2 - i * 0.25) * 100) / 100, previous: i === 11 ? null : Math.round((4.4 - i * 0.2) * 100) / 100 })),
    kmByGrade: [
      { grade: 'free', km: 1210.4, previous: 1236.8 },
      { grade: 'basic', km: 402.7, previous: 391.5 },
      { grade: 'light', km: 141.2, previous: 133 },
      { grade: 'moderate', km: 62.5, previous: 57.1 },
      { grade: 'severe', km: 23.1, previous: 21.5 },
    ],
  },
  halls: {
    halls: 36,
    visitors: { value: 52_380, previous: 49_870 },
    days: DAYS.map((day, i) => ({ day, visitors: [9180, 4120, 3650, 9320, 9010, 8740, 8360][i]! })),
    waitMin: { value: 14.6, previous: 13.2 },
    waitBands: [{ band: '0-5', visitors: 6210 }, { band: '5-10', visitors: 13_880 }, { band: '10-15', visitors: 12_940 }, { band: '15-20', visitors: 9120 }, { band: '20-30', visitors: 7410 }, { band: '30+', visitors: 2820 }],
    ratings: { verySatisfied: 21_540, satisfied: 9830, basic: 3120, dissatisfied: 410, veryDissatisfied: 96 },
    goodRate: { value: 0.9855, previous: 0.9881 },
    badRatings: { value: 506, previous: 431 },
    busiest: HALLS.map(([hallId, visitors, waitMin], i) => ({ hallId, visitors, waitMin, goodRate: 0.991 - i * 0.002, bad: 40 - i * 3 })),
    badByHall: [['DG-HALL-CHANGPING', 71, 1730], ['DG-HALL-HUMEN', 58, 2510], ['DG-HALL-CITY', 52, 6240], ['DG-HALL-CHANGAN', 44, 2380], ['DG-HALL-HOUJIE', 29, 1810]]
      .map(([hallId, bad, ratings]) => ({ hallId: String(hallId), bad: Number(bad), ratings: Number(ratings) })),
  },
  hotline: {
    counts: cityCounts,
    previous: departments.reduce<PeriodCounts>((sum, d) => add(sum, counts(Math.round(d.dispatched * 0.95), 0.02)), counts(0)),
    overdueNow: 37,
    days: DAYS.map((day, i) => ({ day, accepted: [1010, 760, 690, 1080, 1050, 1020, 990][i]!, closed: [930, 640, 610, 980, 1010, 960, 940][i]! })),
    byTopic: TOPICS.map(([topic, count, previous]) => ({ topic, count, previous })),
    byTown: TOWNS.map((townCode, i) => ({ townCode, count: 720 - i * 45, previous: 700 - i * 40 })),
    byNature: [{ nature: 'complaint', count: 2980 }, { nature: 'consult', count: 1930 }, { nature: 'help', count: 1240 }, { nature: 'report', count: 610 }, { nature: 'suggestion', count: 345 }],
    departments,
    hotspots: HOTSPOTS,
  },
})

/** The same page for a town (no town ranking: it is the city's) or a department (12345 only, its own row). */
export function reviewFixture(scope: ReviewScope): ReviewPage {
  if (scope === 'city')
    return REVIEW_FIXTURE
  if (scope.startsWith('town:'))
    return ReviewPageSchema.parse({ ...REVIEW_FIXTURE, scope, name: '南城街道', traffic: { ...REVIEW_FIXTURE.traffic!, towns: [] } })
  const id = scope.slice('dept:'.length)
  const own = REVIEW_FIXTURE.hotline.departments.filter(d => d.departmentId === id)
  return ReviewPageSchema.parse({
    ...REVIEW_FIXTURE,
    scope,
    name: '东莞市生态环境局',
    air: null,
    traffic: null,
    halls: null,
    hotline: { ...REVIEW_FIXTURE.hotline, departments: own, byTopic: REVIEW_FIXTURE.hotline.byTopic.filter(t => t.topic === 'environment') },
  })
}
