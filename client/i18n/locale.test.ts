import { describe, expect, it } from 'vitest'
import { localeFromUrl } from './index'

describe('localeFromUrl', () => {
  it('reads the language an address names, and nothing else', () => {
    expect(localeFromUrl('?scene=overview&lang=en')).toBe('en')
    expect(localeFromUrl('lang=zh-CN')).toBe('zh-CN')
    expect(localeFromUrl('?lang=fr')).toBeNull()
    expect(localeFromUrl('?scene=air')).toBeNull()
  })
})
