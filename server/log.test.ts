import { describe, expect, it } from 'vitest'
import { installLineSafeConsole, logLine } from './log'

describe('log lines', () => {
  it.each([
    ['CR/LF with a fake record', '噪声扰民\r\n2026-11-23T01:00:00Z [auth] admin signed in'],
    ['an ANSI escape that clears the screen', 'title\u001B[2J\u001B[1;1Hall clear'],
    ['a fake JSON log line', '"}\n{"level":"info","msg":"user created"}'],
    ['Unicode line separators and NUL', 'a\u2028b\u2029c\u0000d'],
  ])('keeps %s inside one record, visibly escaped', (_what, text) => {
    const line = logLine('[feed dg-webhook] rejected record:', text, new Error(`bad ${text}`))
    // eslint-disable-next-line no-control-regex -- what must not be left
    expect(line).not.toMatch(/[\u0000-\u001F\u007F\u2028\u2029]/)
    expect(line).toContain('[feed dg-webhook] rejected record:')
  })

  it('writes each console call as exactly one line', () => {
    const written: string[] = []
    const write = (...args: unknown[]): void => void written.push(String(args[0]))
    const fake = { log: write, info: write, warn: write, error: write }
    installLineSafeConsole(fake)
    fake.error('[ingest] apply failed', new Error('x\ny'))
    fake.log('%s signed in', 'admin\r\nroot')
    expect(written).toHaveLength(2)
    expect(written.every(line => !line.includes('\n') && !line.includes('\r'))).toBe(true)
    expect(written[1]).toBe('admin\\r\\nroot signed in')
  })
})
