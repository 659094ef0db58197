import { describe, expect, it } from 'vitest'
import type { KeyFacts } from './wall-keys'
import { wallKeyAction } from './wall-keys'

const key = (k: string, patch: Partial<KeyFacts> = {}): KeyFacts => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, target: { tagName: 'BODY' }, ...patch })

describe('wall keys', () => {
  it('maps Space, ←, →, N and L to the wall\'s commands', () => {
    expect([' ', 'ArrowRight', 'ArrowLeft', 'n', 'N', 'l', 'L'].map(k => wallKeyAction(key(k)))).toEqual(['pause', 'next', 'previous', 'night', 'night', 'language', 'language'])
    expect(wallKeyAction(key('x'))).toBeNull()
    expect(wallKeyAction(key('Enter'))).toBeNull()
  })

  it('leaves browser shortcuts and typing in a field alone', () => {
    expect(wallKeyAction(key('l', { ctrlKey: true }))).toBeNull()
    expect(wallKeyAction(key('ArrowLeft', { altKey: true }))).toBeNull()
    expect(wallKeyAction(key('n', { metaKey: true }))).toBeNull()
    expect(wallKeyAction(key(' ', { target: { tagName: 'INPUT' } }))).toBeNull()
    expect(wallKeyAction(key('n', { target: { tagName: 'textarea' } }))).toBeNull()
    expect(wallKeyAction(key('l', { target: { tagName: 'DIV', isContentEditable: true } }))).toBeNull()
    expect(wallKeyAction(key(' ', { target: null }))).toBe('pause')
  })
})
