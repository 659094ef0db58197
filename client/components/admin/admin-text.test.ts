import { describe, expect, it } from 'vitest'
import { HttpError } from '@client/stores/http'
import { localInputToIso } from './admin-format'
import { auditWords } from './audit-words'
import { errorText } from './errors'

/** A stand-in for vue-i18n's t: the key, with its named values. */
const t = (key: string, named?: Record<string, unknown>): string => named ? `${key}${JSON.stringify(named)}` : key

describe('errorText', () => {
  it('gives the status in words and the server\'s own, without the URL', () => {
    expect(errorText(new HttpError(409, '/api/admin/users: user duty1 exists'), t)).toEqual({ title: 'admin.error.conflict', detail: 'user duty1 exists' })
    expect(errorText(new HttpError(503, '/api/admin/users: HTTP 503'), t)).toEqual({ title: 'admin.error.status{"status":503}', detail: 'HTTP 503' })
  })

  it('tells an unreachable server from an answer that could not be read', () => {
    expect(errorText(new TypeError('Failed to fetch'), t).title).toBe('admin.error.network')
    expect(errorText(new Error('/api/admin/users: unexpected response (users.0.id expected string)'), t)).toEqual({ title: 'admin.error.unexpected', detail: '/api/admin/users: unexpected response (users.0.id expected string)' })
  })
})

describe('auditWords', () => {
  const known = new Set(['admin.audit.actions.user_reset-password', 'admin.roles.duty_officer', 'admin.audit.targets.display-token'])
  const words = auditWords(key => `«${key}»`, key => known.has(key))

  it('finds a dotted action under its key, and roles and targets under theirs', () => {
    expect(words.action('user.reset-password')).toBe('«admin.audit.actions.user_reset-password»')
    expect(words.role('duty_officer')).toBe('«admin.roles.duty_officer»')
    expect(words.target('display-token')).toBe('«admin.audit.targets.display-token»')
  })

  it('shows a code it has no words for as it is', () => {
    expect(words.action('workorder.dispatch')).toBe('workorder.dispatch')
    expect(words.role('display')).toBe('display')
  })
})

describe('localInputToIso', () => {
  it('reads a datetime-local value as local time', () => {
    const at = new Date(localInputToIso('2026-03-14T09:26:30') ?? Number.NaN)
    expect([at.getFullYear(), at.getMonth(), at.getDate(), at.getHours(), at.getMinutes(), at.getSeconds()]).toEqual([2026, 2, 14, 9, 26, 30])
  })

  it('leaves an empty or broken value out of the query', () => {
    expect(localInputToIso('')).toBeUndefined()
    expect(localInputToIso('not a time')).toBeUndefined()
  })
})
