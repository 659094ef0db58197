import { CONGESTION_GRADE_INFO, gradeForTpi } from '@shared/traffic/congestion'

export interface HeatCell {
  hour: number
  tpi: number | null
  /** The grade's colour (GB/T 33171 grades); null where nothing was measured. */
  color: string | null
  /** Dark text on the light grades (基本畅通 to 中度拥堵), white on the dark green and red. */
  ink: string
}

const DARK_INK = '#0b1526'
const LIGHT_INK = '#ffffff'

/**
 * The weekday × hour TPI table as cells in the colour of each value's
 * congestion grade; the figure is written in each cell, so colour is never
 * the only sign.
 */
export function heatRows(tpiByWeekdayHour: readonly (readonly (number | null)[])[]): HeatCell[][] {
  return tpiByWeekdayHour.map(row => row.map((tpi, hour) => {
    if (tpi === null)
      return { hour, tpi, color: null, ink: LIGHT_INK }
    const grade = gradeForTpi(tpi)
    const info = CONGESTION_GRADE_INFO.find(g => g.grade === grade)!
    return { hour, tpi, color: info.color, ink: grade === 'free' || grade === 'severe' ? LIGHT_INK : DARK_INK }
  }))
}

/** True when the table has no value at all (shown as 暂无数据). */
export const heatEmpty = (rows: readonly (readonly (number | null)[])[]): boolean => rows.every(r => r.every(v => v === null))
