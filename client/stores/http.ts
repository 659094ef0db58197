import type { z } from 'zod'

/** The session's CSRF token, sent with every request that changes something (server/auth/guard.ts). */
let csrfToken = ''
export function setCsrfToken(token: string): void {
  csrfToken = token
}

/** A request the server refused or answered badly: its status and the server's own words. */
export class HttpError extends Error {
  /** `retryAfterS`: the server's Retry-After (a locked account, too many attempts). */
  constructor(readonly status: number, message: string, readonly retryAfterS: number | null = null) {
    super(message)
  }
}

/** Listeners told when the server says the session is gone (401): the session store signs in again or shows the login. */
const unauthorizedListeners = new Set<() => void>()
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener)
  return () => unauthorizedListeners.delete(listener)
}

async function answer<T>(url: string, res: Response, schema: z.ZodType<T>): Promise<T> {
  const body: unknown = res.status === 204 ? null : await res.json().catch(() => null)
  if (!res.ok) {
    if (res.status === 401)
      unauthorizedListeners.forEach(listener => listener())
    const said = typeof body === 'object' && body !== null && 'error' in body ? String(body.error) : `HTTP ${res.status}`
    const retryAfter = Number(res.headers.get('Retry-After'))
    throw new HttpError(res.status, `${url}: ${said}`, retryAfter > 0 ? retryAfter : null)
  }
  const parsed = schema.safeParse(body)
  if (!parsed.success)
    throw new Error(`${url}: unexpected response (${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''})`)
  return parsed.data
}

/** GET a JSON resource and check it against its schema; errors say which URL and what was wrong. */
export async function getJson<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  return answer(url, await fetch(url, { headers: { Accept: 'application/json' } }), schema)
}

/** POST, PUT, PATCH or DELETE with a JSON body (or none), the CSRF token and the answer checked against its schema. */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
  const res = await fetch(url, {
    method,
    headers: { 'Accept': 'application/json', 'X-CSRF-Token': csrfToken, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  return answer(url, res, schema)
}
