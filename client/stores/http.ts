import type { z } from 'zod'

/** GET a JSON resource and check it against its schema; errors say which URL and what was wrong. */
export async function getJson<T>(url: string, schema: z.ZodType<T>): Promise<T> {
  const res = await fetch(url, { headers: { Accept: 'application/json' } })
  if (!res.ok)
    throw new Error(`${url}: HTTP ${res.status}`)
  const parsed = schema.safeParse(await res.json())
  if (!parsed.success)
    throw new Error(`${url}: unexpected response (${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''})`)
  return parsed.data
}
