/**
 * IAQI breakpoint tables of HJ 633-2012 表1, kept as data so that a revised
 * standard is an edit here, not in the calculator. Units are µg/m³ except CO
 * (mg/m³). Each table lists [concentration, IAQI] pairs in rising order.
 */
export type BreakpointTable = readonly (readonly [concentration: number, iaqi: number])[]

const IAQI_STEPS = [0, 50, 100, 150, 200, 300, 400, 500] as const

function table(concentrations: readonly number[]): BreakpointTable {
  return concentrations.map((c, i) => [c, IAQI_STEPS[i] ?? Number.NaN] as const)
}

export const BREAKPOINTS = {
  so2_24h: table([0, 50, 150, 475, 800, 1600, 2100, 2620]),
  // 1h SO2 stops at IAQI 200: above 800 µg/m³ the 24h value is reported instead (note 2).
  so2_1h: table([0, 150, 500, 650, 800]),
  no2_24h: table([0, 40, 80, 180, 280, 565, 750, 940]),
  no2_1h: table([0, 100, 200, 700, 1200, 2340, 3090, 3840]),
  pm10_24h: table([0, 50, 150, 250, 350, 420, 500, 600]),
  co_24h: table([0, 2, 4, 14, 24, 36, 48, 60]),
  co_1h: table([0, 5, 10, 35, 60, 90, 120, 150]),
  o3_1h: table([0, 160, 200, 300, 400, 800, 1000, 1200]),
  // 8h O3 stops at IAQI 300: above 800 µg/m³ the 1h value is used instead (note 3).
  o3_8h: table([0, 100, 160, 215, 265, 800]),
  pm25_24h: table([0, 35, 75, 115, 150, 250, 350, 500]),
} as const satisfies Record<string, BreakpointTable>

export type BreakpointKey = keyof typeof BREAKPOINTS
