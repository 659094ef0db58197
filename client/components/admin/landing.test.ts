import { describe, expect, it } from 'vitest'
import type { SessionInfo } from '@shared/schemas/auth'
import { landingPath } from './landing'

const session = (roles: ('operator' | 'admin')[]): SessionInfo => ({
  principal: { kind: 'user', id: 'u1', username: 'u', displayName: 'U', roles, departmentId: null },
  actions: [],
  csrfToken: 'x',
  expiresAt: '2026-01-01T00:00:00Z',
  mustChangePassword: false,
})
const display: SessionInfo = { ...session([]), principal: { kind: 'display', id: 'd1', name: 'Hall', scene: null } }

describe('where a sign-in lands', () => {
  it('goes to the page that was asked for, query and fragment included', () => {
    expect(landingPath('/admin/audit?action=user.create', session(['operator']))).toBe('/admin/audit?action=user.create')
    expect(landingPath('/wall#map', session(['admin']))).toBe('/wall#map')
  })

  it('goes home without a page asked for: administrators to the administration, everyone else to the wall', () => {
    expect(landingPath(undefined, session(['admin']))).toBe('/admin')
    expect(landingPath(undefined, session(['operator']))).toBe('/wall')
    expect(landingPath(null, display)).toBe('/wall')
    expect(landingPath(['/admin'], session(['admin']))).toBe('/admin')
  })

  it('never leaves the site (no open redirect)', () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example', 'javascript:alert(1)', 'admin', ''])
      expect(landingPath(next, session(['operator']))).toBe('/wall')
  })

  it('never returns to the sign-in or password screens, which would loop', () => {
    for (const next of ['/login', '/login?next=/wall', '/password', '/password?next=/admin'])
      expect(landingPath(next, session(['admin']))).toBe('/admin')
    expect(landingPath('/login-help', session(['admin']))).toBe('/login-help')
  })
})
