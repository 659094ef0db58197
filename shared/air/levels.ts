/** AQI levels, colours and advice of HJ 633-2012 表2 and 附录A. */
export const AQI_LEVELS = [
  { level: 1, max: 50, key: 'excellent', zh: '优', grade: '一级', en: 'Excellent', color: '#00E400',
    healthZh: '空气质量令人满意，基本无空气污染', adviceZh: '各类人群可正常活动' },
  { level: 2, max: 100, key: 'good', zh: '良', grade: '二级', en: 'Good', color: '#FFFF00',
    healthZh: '空气质量可接受，但某些污染物可能对极少数异常敏感人群健康有较弱影响', adviceZh: '极少数异常敏感人群应减少户外活动' },
  { level: 3, max: 150, key: 'light', zh: '轻度污染', grade: '三级', en: 'Lightly polluted', color: '#FF7E00',
    healthZh: '易感人群症状有轻度加剧，健康人群出现刺激症状', adviceZh: '儿童、老年人及心脏病、呼吸系统疾病患者应减少长时间、高强度户外锻炼' },
  { level: 4, max: 200, key: 'moderate', zh: '中度污染', grade: '四级', en: 'Moderately polluted', color: '#FF0000',
    healthZh: '进一步加剧易感人群症状，可能对健康人群心脏、呼吸系统有影响', adviceZh: '上述人群避免长时间、高强度户外锻炼，一般人群适量减少户外运动' },
  { level: 5, max: 300, key: 'heavy', zh: '重度污染', grade: '五级', en: 'Heavily polluted', color: '#99004C',
    healthZh: '心脏病和肺病患者症状显著加剧，运动耐受力降低，健康人群普遍出现症状', adviceZh: '儿童、老年人和心脏病、肺病患者应停留在室内，停止户外运动，一般人群减少户外运动' },
  { level: 6, max: Number.POSITIVE_INFINITY, key: 'severe', zh: '严重污染', grade: '六级', en: 'Severely polluted', color: '#7E0023',
    healthZh: '健康人群运动耐受力降低，有明显强烈症状，提前出现某些疾病', adviceZh: '儿童、老年人和病人应当留在室内，避免体力消耗，一般人群停止户外运动' },
] as const

export type AqiLevelInfo = (typeof AQI_LEVELS)[number]
export type AqiLevel = AqiLevelInfo['level']

export function aqiLevel(aqi: number): AqiLevelInfo {
  const found = AQI_LEVELS.find(l => aqi <= l.max)
  // The last level has max = Infinity, so only NaN gets here.
  if (!found)
    throw new RangeError(`AQI must be a number, got ${aqi}`)
  return found
}

export function levelInfo(level: AqiLevel): AqiLevelInfo {
  return AQI_LEVELS[level - 1] as AqiLevelInfo
}

/** Text drawn on a level's colour: dark on the light colours (优 良 轻度), white on the rest. */
export function levelTextColor(level: AqiLevel): string {
  return level <= 3 ? '#0b1526' : '#ffffff'
}
