import { describe, expect, it } from 'vitest'
import { i18n } from '@client/i18n'
import { HttpError } from '@client/stores/http'
import { alertErrorText } from './alert-errors'

const t = (key: string, named?: Record<string, unknown>): string => named ? i18n.global.t(key, named) : i18n.global.t(key)

describe('the alert console\'s refusals', () => {
  it('says in Chinese what a 409 means for the action that got it, with the server\'s words beneath', () => {
    const refused = new HttpError(409, '/api/alerts/x/ack: alert is resolved')
    expect(alertErrorText('ack', refused, t)).toEqual({ title: '该告警已恢复，无需再确认', detail: 'alert is resolved' })
    expect(alertErrorText('work-order', new HttpError(409, '/api/alerts/x/work-order: has one'), t).title).toBe('该告警已转过工单，不能重复生成')
    expect(alertErrorText('end-silence', new HttpError(404, '/api/alert-silences/s: not found'), t).title).toBe('该静音已解除或不存在')
    expect(alertErrorText('silence', new HttpError(403, '/api/alert-silences: forbidden'), t).title).toBe('您没有执行此操作的权限')
  })

  it('falls back to the administration\'s wording for the rest', () => {
    expect(alertErrorText('silence', new HttpError(400, '/api/alert-silences: endsAt must be after startsAt'), t)).toEqual({ title: '输入有误', detail: 'endsAt must be after startsAt' })
    expect(alertErrorText('load-list', new TypeError('Failed to fetch'), t).title).toBe('无法连接服务器，请检查网络后重试')
  })
})
