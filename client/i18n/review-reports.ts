/**
 * The review page's reports panel (日报, 周报), nested under `review.reports`.
 * The print page itself is an official paper and stays Chinese in both languages.
 */
export const zhCN = {
  toggle: '日报 · 周报',
  title: '运行报告',
  note: '日报于次日凌晨、周报于下周一定时生成；也可按需生成',
  kind: { daily: '日报', weekly: '周报' },
  column: { kind: '类型', period: '统计周期', generated: '生成时间', by: '生成人', actions: '操作' },
  schedule: '定时生成',
  print: '打印',
  csv: '下载 CSV',
  xlsx: '下载 Excel',
  day: '日期（可选）',
  dayHint: '不填为昨天；周报统计该日所在的周一至周日',
  generateDaily: '生成日报',
  generateWeekly: '生成周报',
  generating: '正在生成…',
  generated: '已生成：{title}',
  empty: '暂无报告',
  loading: '正在加载报告…',
  error: '报告操作失败：{message}',
  close: '收起',
}

export const en: typeof zhCN = {
  toggle: 'Daily · weekly reports',
  title: 'Reports',
  note: 'Daily reports are made after midnight, weekly ones on Monday; or make one now',
  kind: { daily: 'Daily', weekly: 'Weekly' },
  column: { kind: 'Kind', period: 'Period', generated: 'Made at', by: 'Made by', actions: 'Actions' },
  schedule: 'Scheduled',
  print: 'Print',
  csv: 'Download CSV',
  xlsx: 'Download Excel',
  day: 'Date (optional)',
  dayHint: 'Empty: yesterday; a weekly report covers that date\'s Monday to Sunday',
  generateDaily: 'Make daily report',
  generateWeekly: 'Make weekly report',
  generating: 'Making…',
  generated: 'Made: {title}',
  empty: 'No reports yet',
  loading: 'Loading reports…',
  error: 'Reports: {message}',
  close: 'Close',
}
