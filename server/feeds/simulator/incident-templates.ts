import type { IncidentNature, IncidentTopic } from '@shared/schemas/incidents'

/**
 * What 12345 callers ask about, as work-order titles and descriptions are
 * written: {town} the town's short name, {road} a road there, {place} a
 * community or landmark. Weights are relative frequencies within a nature.
 */
export interface IncidentTemplate {
  key: string
  topic: IncidentTopic
  natures: Partial<Record<IncidentNature, number>>
  title: string
  detail: string
  /** Share of these calls marked urgent. */
  urgent?: number
}

export const TEMPLATES: readonly IncidentTemplate[] = [
  // 城市管理
  { key: 'street-vendor', topic: 'city-management', natures: { complaint: 3 }, title: '{road}占道经营', detail: '{road}一带有流动摊贩长期占用人行道经营，行人通行困难' },
  { key: 'illegal-building', topic: 'city-management', natures: { report: 3 }, title: '{place}违章搭建', detail: '{place}有住户在楼顶私自搭建铁皮房' },
  { key: 'garbage', topic: 'city-management', natures: { complaint: 3, help: 1 }, title: '{place}垃圾未及时清运', detail: '{place}垃圾桶已满溢多日无人清运，气味难闻' },
  { key: 'street-light', topic: 'city-management', natures: { help: 2 }, title: '{road}路灯不亮', detail: '{road}有一段路灯已多晚不亮，夜间出行不安全' },
  { key: 'waterlogging', topic: 'city-management', natures: { help: 4, complaint: 1 }, title: '{road}路段积水严重', detail: '{road}路段积水已没过脚踝，车辆行人无法通行，排水口疑似堵塞', urgent: 0.3 },
  { key: 'manhole', topic: 'city-management', natures: { help: 3 }, title: '{road}井盖缺失', detail: '{road}有井盖缺失（或被水冲开），存在安全隐患', urgent: 0.45 },
  { key: 'fallen-tree', topic: 'city-management', natures: { help: 2 }, title: '{road}树木倒伏', detail: '{road}有行道树倒伏，压住部分车道', urgent: 0.25 },
  // 环境保护
  { key: 'noise', topic: 'environment', natures: { complaint: 5 }, title: '{place}噪声扰民', detail: '{place}附近工地夜间持续施工，噪声很大，影响居民休息' },
  { key: 'cooking-fumes', topic: 'environment', natures: { complaint: 2 }, title: '{place}餐饮油烟扰民', detail: '{place}楼下餐饮店油烟直排，住户无法开窗' },
  { key: 'odour', topic: 'environment', natures: { complaint: 3, report: 1 }, title: '{place}附近有刺鼻异味', detail: '{place}附近空气中有刺鼻的化学异味，部分居民感到头晕、喉咙不适', urgent: 0.2 },
  { key: 'exhaust-gas', topic: 'environment', natures: { report: 3, complaint: 1 }, title: '{place}工厂排放废气', detail: '{place}附近工厂烟囱排放刺鼻废气，疑似偷排' },
  { key: 'sewage', topic: 'environment', natures: { report: 2 }, title: '{place}污水直排河涌', detail: '{place}旁有排污口向河涌直排污水，水面发黑发臭' },
  { key: 'air-quality', topic: 'environment', natures: { complaint: 1, consult: 1 }, title: '{town}空气质量差', detail: '近日{town}灰霾明显，空气中有烟尘味，询问原因及防护建议' },
  // 交通
  { key: 'traffic-light', topic: 'transport', natures: { help: 3, complaint: 1 }, title: '{road}信号灯故障', detail: '{road}路口红绿灯不亮（或一直闪黄灯），路口交通混乱', urgent: 0.2 },
  { key: 'illegal-parking', topic: 'transport', natures: { complaint: 4 }, title: '{road}车辆乱停放', detail: '{road}有车辆长期占道停放，堵塞消防通道和出入口' },
  { key: 'bus-route', topic: 'transport', natures: { consult: 3 }, title: '咨询{town}公交线路', detail: '咨询从{place}到市区的公交线路及首末班时间' },
  { key: 'bus-stop', topic: 'transport', natures: { suggestion: 3 }, title: '建议{place}增设公交站点', detail: '{place}周边居民较多，最近的公交站步行需二十分钟，建议增设站点' },
  { key: 'accident', topic: 'transport', natures: { help: 3, consult: 1 }, title: '{road}交通事故造成拥堵', detail: '{road}发生交通事故，车辆排队较长，请求疏导交通', urgent: 0.3 },
  { key: 'add-crossing', topic: 'transport', natures: { suggestion: 2 }, title: '建议{road}增设人行横道', detail: '{road}学校门口车流量大，学生过马路危险，建议增设人行横道和信号灯' },
  // 住建与物业
  { key: 'property-dispute', topic: 'housing', natures: { complaint: 3 }, title: '{place}物业服务纠纷', detail: '{place}物业公司收费不合理，公共设施损坏长期不维修' },
  { key: 'elevator', topic: 'housing', natures: { help: 2 }, title: '{place}电梯故障', detail: '{place}电梯多次故障停运，老人上下楼困难', urgent: 0.15 },
  { key: 'leaking-roof', topic: 'housing', natures: { help: 2, complaint: 1 }, title: '{place}房屋漏水', detail: '{place}楼顶防水层破损，雨天室内漏水严重' },
  { key: 'housing-policy', topic: 'housing', natures: { consult: 3 }, title: '咨询购房及人才安居政策', detail: '咨询在{town}购买首套住房的条件及人才安居补贴申请流程' },
  // 供水、供电、燃气
  { key: 'water-outage', topic: 'utilities', natures: { help: 4, complaint: 2, consult: 1 }, title: '{place}一带停水', detail: '{place}一带突然停水，未见停水通知，询问何时恢复供水', urgent: 0.1 },
  { key: 'low-pressure', topic: 'utilities', natures: { complaint: 2 }, title: '{place}水压低', detail: '{place}高层住户水压不足，早晚用水高峰基本无水' },
  { key: 'power-cut', topic: 'utilities', natures: { help: 3, consult: 1 }, title: '{place}停电', detail: '{place}片区突然停电，询问原因及恢复时间', urgent: 0.1 },
  { key: 'gas', topic: 'utilities', natures: { consult: 2 }, title: '咨询管道燃气开户', detail: '咨询{place}管道燃气开户所需材料和办理地点' },
  { key: 'road-damage', topic: 'utilities', natures: { help: 2 }, title: '{road}路面冒水塌陷', detail: '{road}路面大量冒水，部分路面出现塌陷，疑似地下水管破裂', urgent: 0.4 },
  // 市场监管
  { key: 'consumer-dispute', topic: 'market', natures: { complaint: 4 }, title: '{place}商家消费纠纷', detail: '在{place}某商家预付充值后商家关门，无法退款' },
  { key: 'food-safety', topic: 'market', natures: { report: 3 }, title: '{place}食品安全问题', detail: '在{place}一餐饮店就餐后出现腹泻，怀疑食品不洁' },
  { key: 'price', topic: 'market', natures: { complaint: 1, report: 1 }, title: '{place}明码标价问题', detail: '{place}商铺未明码标价，结账时价格与口头报价不符' },
  // 人社
  { key: 'wage-arrears', topic: 'labour', natures: { help: 3, complaint: 2 }, title: '{place}工厂拖欠工资', detail: '{place}某工厂拖欠员工两个月工资，涉及约二十人' },
  { key: 'social-insurance', topic: 'labour', natures: { consult: 6 }, title: '咨询社保缴费及转移', detail: '咨询从外地转入本市后社保关系转移接续及缴费基数' },
  { key: 'job-subsidy', topic: 'labour', natures: { consult: 2 }, title: '咨询就业补贴申领', detail: '咨询在{town}申领灵活就业社保补贴的条件' },
  // 教育
  { key: 'school-points', topic: 'education', natures: { consult: 5 }, title: '咨询积分入学申请', detail: '咨询子女在{town}申请积分入学的时间节点和所需材料' },
  { key: 'tutoring', topic: 'education', natures: { complaint: 1, report: 1 }, title: '{place}校外培训机构问题', detail: '{place}一家校外培训机构收费后停课，拒绝退费' },
  // 医疗卫生
  { key: 'medical-insurance', topic: 'health', natures: { consult: 4 }, title: '咨询医保报销', detail: '咨询门诊特定病种医保报销比例及办理流程' },
  { key: 'hospital-service', topic: 'health', natures: { complaint: 2, suggestion: 1 }, title: '{town}医院服务问题', detail: '在{town}某医院排队时间长，窗口工作人员态度差' },
  // 公安（非紧急）
  { key: 'residence-permit', topic: 'public-security', natures: { consult: 5 }, title: '咨询居住证办理', detail: '咨询在{town}办理居住证需要的材料和办理时限' },
  { key: 'security-risk', topic: 'public-security', natures: { report: 1, help: 1 }, title: '{place}治安隐患', detail: '{place}出租屋附近夜间常有可疑人员聚集' },
  // 应急
  { key: 'fire-exit', topic: 'emergency', natures: { report: 3 }, title: '{place}消防通道堵塞', detail: '{place}消防通道被杂物和电动车长期堵塞', urgent: 0.2 },
  { key: 'safety-hazard', topic: 'emergency', natures: { report: 2, help: 1 }, title: '{place}安全隐患', detail: '{place}厂房外墙广告牌松动，有坠落危险', urgent: 0.3 },
  // 镇街属地
  { key: 'rental-housing', topic: 'local', natures: { complaint: 2, consult: 1 }, title: '{place}出租屋管理问题', detail: '{place}出租屋群租现象严重，电动车楼道充电' },
  { key: 'village-affairs', topic: 'local', natures: { consult: 2, suggestion: 1 }, title: '{place}村务公开问题', detail: '咨询{place}集体分红和村务公开情况' },
  { key: 'hall-queue', topic: 'local', natures: { complaint: 4, consult: 1 }, title: '{town}政务服务中心系统故障排队时间长', detail: '在{town}政务服务中心办事，叫号系统故障，已等候一个多小时无人处理' },
  { key: 'public-facilities', topic: 'local', natures: { suggestion: 3 }, title: '建议{place}增设休闲设施', detail: '{place}周边缺少公园和健身器材，建议增设' },
]

export const TEMPLATE_BY_KEY: ReadonlyMap<string, IncidentTemplate> = new Map(TEMPLATES.map(t => [t.key, t]))

export function template(key: string): IncidentTemplate {
  const found = TEMPLATE_BY_KEY.get(key)
  if (!found)
    throw new RangeError(`no incident template ${key}`)
  return found
}

/** How each nature's work order opens and closes (工单 wording). */
export const NATURE_WORDING: Readonly<Record<IncidentNature, { opener: string, closer: string }>> = {
  consult: { opener: '市民来电咨询：', closer: '请相关部门予以解答。' },
  help: { opener: '市民来电求助：', closer: '希望相关部门尽快协助处理。' },
  complaint: { opener: '市民来电投诉：', closer: '要求相关部门尽快处理并回复。' },
  report: { opener: '市民来电举报：', closer: '请相关部门核实查处。' },
  suggestion: { opener: '市民来电建议：', closer: '望相关部门研究采纳。' },
}

/** Generic community and landmark names, for addresses in towns the city model has no detail of. */
export const PLACES: readonly string[] = [
  '中心社区', '新城社区', '上围村', '下坊村', '沙岗社区', '兴业工业区', '振华市场', '汽车客运站', '文化广场',
  '商业步行街', '锦绣花园', '翠苑小区', '新村一巷', '科技园', '河滨公园', '第一中学', '农贸市场', '东湖花园',
]

/** Road names for towns whose roads the city model does not list. */
export const GENERIC_ROADS: readonly string[] = [
  '人民路', '建设路', '振兴路', '环城路', '新城路', '工业大道', '育才路', '沿江路', '银湖路', '东风路', '富民路', '商业街',
]

/** The natures of the 12345 mix (domain.md §3.5), with their target shares. */
export const NATURE_MIX: Readonly<Record<IncidentNature, number>> = {
  consult: 0.45, help: 0.25, complaint: 0.2, report: 0.05, suggestion: 0.05,
}
