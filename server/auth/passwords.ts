import { randomBytes, randomInt } from 'node:crypto'
import { hash, verify } from '@node-rs/argon2'

/**
 * argon2id with OWASP's minimum (reliability.md §4.6): 19 MiB, two passes,
 * one lane. @node-rs/argon2's default algorithm is argon2id; a test checks
 * the PHC string says so.
 */
const ARGON2 = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

export const hashPassword = (password: string): Promise<string> => hash(password, ARGON2)

/** A hash of nothing anyone knows: an unknown user name costs a login the same time as a known one. */
const DECOY = hashPassword(randomBytes(16).toString('hex'))

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    await verify(await DECOY, password).catch(() => false)
    return false
  }
  return verify(passwordHash, password).catch(() => false)
}

/** A password for a person to type once and change: 16 characters from an unambiguous alphabet (≈ 90 bits). */
export function generatePassword(): string {
  const alphabet = 'abcdefghjkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679'
  return Array.from({ length: 16 }, () => alphabet[randomInt(alphabet.length)]).join('')
}
