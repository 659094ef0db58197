/** The wall's alarm and the alert states the ticker and takeover show; merged under `alarm` by ./index.ts. Both locales have the same keys. */
export const zhCN = {
  on: '告警声音：开',
  off: '告警声音：关',
  /** The toggle's tooltip and accessible name. */
  toggle: '开关告警声音（M 键）',
  enable: '点击启用声音',
  enableHint: '浏览器暂停了告警声音，点击页面或按任意键即可恢复',
  acknowledgedBy: '已确认 · {by}',
  muted: '静音',
  escalated: '已升级',
}

export const en: typeof zhCN = {
  on: 'Alarm sound: on',
  off: 'Alarm sound: off',
  toggle: 'Turn the alarm sound on or off (key M)',
  enable: 'Click to enable sound',
  enableHint: 'The browser paused the alarm sound: click the page or press any key to resume',
  acknowledgedBy: 'acknowledged · {by}',
  muted: 'muted',
  escalated: 'escalated',
}
