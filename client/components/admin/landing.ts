import type { SessionInfo } from '@shared/schemas/auth'

/** Screens that must never be the place a sign-in returns to (they would loop). */
const NOT_A_LANDING = /^\/(?:login|password)(?:[/?#]|$)/

/**
 * Where to go after signing in or changing one's password: the page that was
 * asked for, if it is a path of this site (`next` comes from the address bar,
 * so `//elsewhere` and `https://…` are refused: no open redirect); otherwise
 * the person's home, the administration for administrators and the wall for
 * everyone else.
 */
export function landingPath(next: unknown, session: SessionInfo | null): string {
  if (typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !NOT_A_LANDING.test(next))
    return next
  return session?.principal.kind === 'user' && session.principal.roles.includes('admin') ? '/admin' : '/wall'
}
