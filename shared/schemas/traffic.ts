import { z } from 'zod'
import { EntityId, Instant, TownCode } from './common'

/** Road classes of GB/T 33171-2016 §5.2.1 (the same as GB 50220-1995). */
export const ROAD_CLASSES = ['expressway', 'arterial', 'secondary', 'branch'] as const
export const RoadClass = z.enum(ROAD_CLASSES)
export type RoadClass = z.infer<typeof RoadClass>

/** The five grades of GB/T 33171-2016 §8.1, best first: 畅通 基本畅通 轻度拥堵 中度拥堵 严重拥堵. */
export const CONGESTION_GRADES = ['free', 'basic', 'light', 'moderate', 'severe'] as const
export const CongestionGrade = z.enum(CONGESTION_GRADES)
export type CongestionGrade = z.infer<typeof CongestionGrade>

/** Speeds beyond this are a detector fault, not traffic. */
const MAX_SPEED_KMH = 250

/** One road segment's measured traffic over an interval (≤ 5 min): the traffic feed record. */
export const TrafficObservation = z.strictObject({
  segmentId: EntityId,
  /** End of the measuring interval. */
  observedAt: Instant,
  /** Average travel speed over the interval, km/h. */
  speedKmh: z.number().finite().nonnegative().max(MAX_SPEED_KMH),
  /** Vehicles counted in the interval, when the detector counts. */
  volume: z.number().int().nonnegative().max(100_000).optional(),
  /** Share of time the detector was occupied, 0–1. */
  occupancy: z.number().finite().min(0).max(1).optional(),
})
export type TrafficObservation = z.infer<typeof TrafficObservation>

/** A segment's latest accepted observation, rated against its free-flow speed. */
export const SegmentReading = z.object({
  segmentId: EntityId,
  observedAt: Instant,
  speedKmh: z.number(),
  /** V / Vf, capped at 1 (faster than free flow counts as free flow). */
  ratio: z.number().min(0).max(1),
  grade: CongestionGrade,
})
export type SegmentReading = z.infer<typeof SegmentReading>

/**
 * One segment as a wall shows it, on the live stream: [segmentId, speed in
 * whole km/h, grade]. A tuple, because a traffic event can carry every
 * segment of the city (1,850 in Dongguan) and keys would double its size.
 * V / Vf is the speed over the segment's free-flow speed in the city model;
 * the grade is rated from the unrounded speed, so it is the one the KPIs count.
 */
export const SegmentUpdate = z.tuple([EntityId, z.number().int().nonnegative().max(MAX_SPEED_KMH), CongestionGrade])
export type SegmentUpdate = z.infer<typeof SegmentUpdate>

/** Kilometres of road in each grade. */
export const MileageByGrade = z.record(CongestionGrade, z.number().nonnegative())
export type MileageByGrade = z.infer<typeof MileageByGrade>

/** A road network's state (a town's roads, or the city's): GB/T 33171 §7.2.2–7.2.3. */
export const NetworkTraffic = z.object({
  /** Network delay time proportion, 0–1. */
  dtp: z.number().min(0).max(1),
  /** Traffic performance index 0–10 from the network DTP (Appendix C). */
  tpi: z.number().min(0).max(10),
  grade: CongestionGrade,
  /** Length-weighted mean speed of the reporting segments, km/h. */
  meanSpeedKmh: z.number().nonnegative(),
  mileage: MileageByGrade,
  segmentsReporting: z.number().int().nonnegative(),
  segmentsTotal: z.number().int().nonnegative(),
})
export type NetworkTraffic = z.infer<typeof NetworkTraffic>

export const TownTraffic = NetworkTraffic.extend({ townCode: TownCode })
export type TownTraffic = z.infer<typeof TownTraffic>

export const CityTraffic = NetworkTraffic.extend({ observedAt: Instant })
export type CityTraffic = z.infer<typeof CityTraffic>
