import type { Request, Response } from 'express'
import type { z } from 'zod'

/** Parses a query string or body with its schema; on failure answers 400 with what was wrong and returns undefined. */
export function parseOr400<T>(schema: z.ZodType<T, unknown>, value: unknown, res: Response, what: string): T | undefined {
  const parsed = schema.safeParse(value)
  if (parsed.success)
    return parsed.data
  res.status(400).json({ error: `invalid ${what}: ${parsed.error.issues.map(i => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}` })
  return undefined
}

export const query = (req: Request): unknown => req.query
