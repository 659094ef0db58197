import { describe, expect, it } from 'vitest'
import { formatDuration } from './durations'

describe('formatDuration', () => {
  it('shows minutes and seconds, hours once past one, never below zero', () => {
    expect(formatDuration(0)).toBe('0:00')
    expect(formatDuration(4_999)).toBe('0:04')
    expect(formatDuration(245_000)).toBe('4:05')
    expect(formatDuration(3_725_000)).toBe('1:02:05')
    expect(formatDuration(-3_000)).toBe('0:00')
  })
})
