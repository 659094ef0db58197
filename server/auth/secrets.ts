import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { hkdfSync, randomBytes } from 'node:crypto'

/** Values people paste from examples; a server in production refuses them. */
const PLACEHOLDERS = /^(?:change-?me|changeit|secret|password|placeholder|example|default|test|dev|todo|x+|0+|1234.*|your[-_ ]?secret.*)$/i
export const MIN_SECRET_LENGTH = 32

/** Why a configured secret is unfit, or null. */
export function secretProblem(secret: string): string | null {
  if (secret.length < MIN_SECRET_LENGTH)
    return `IOC_SECRET must be at least ${MIN_SECRET_LENGTH} characters (e.g. \`openssl rand -hex 32\`)`
  if (PLACEHOLDERS.test(secret) || new Set(secret).size < 8)
    return 'IOC_SECRET looks like a placeholder; generate one, e.g. `openssl rand -hex 32`'
  return null
}

/**
 * The server's secret: IOC_SECRET when set (required in production, the
 * same on every node), else — one machine, not production — a random one
 * kept in a file beside the data (mode 0600), made on the first start.
 */
export function loadSecret(configured: string | undefined, file: string): string {
  if (configured !== undefined)
    return configured
  if (existsSync(file))
    return readFileSync(file, 'utf8').trim()
  const secret = randomBytes(32).toString('hex')
  mkdirSync(dirname(file), { recursive: true })
  writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' })
  return secret
}

/** One key per use, derived from the secret, so that a key leaked from one use opens no other. */
export function deriveKey(secret: string, use: 'audit' | 'socket-ticket'): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'city-ioc', use, 32))
}
