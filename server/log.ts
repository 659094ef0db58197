import { format } from 'node:util'

/**
 * One log record per line, whatever the input says (reliability.md §6.4
 * S10; ASVS 16.4.1): incident text, feed payloads and error messages reach
 * the log, and a CR/LF in them would forge a record of its own, an ANSI
 * escape could rewrite what an operator's terminal shows. Line breaks and
 * every other control character are written as visible escapes.
 */
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g

const escapeControl = (c: string): string => {
  switch (c) {
    case '\n': return '\\n'
    case '\r': return '\\r'
    case '\t': return '\\t'
    default: return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  }
}

/** The line a log call writes: console's own formatting, then every control character escaped. */
export function logLine(...args: unknown[]): string {
  return format(...args).replace(CONTROL, escapeControl)
}

/** Makes console.log/info/warn/error write one escaped line per call (the server's entry installs it). */
export function installLineSafeConsole(target: Pick<Console, 'log' | 'info' | 'warn' | 'error'> = console): void {
  for (const level of ['log', 'info', 'warn', 'error'] as const) {
    const write = target[level].bind(target)
    target[level] = (...args: unknown[]) => write(logLine(...args))
  }
}
