import { readFileSync } from 'node:fs'
import { z } from 'zod'
import { SlaPolicy } from '@shared/dispatch/sla'

/** The city's deadlines: the defaults (Guangdong's), with what the operator's file (IOC_SLA_FILE) changes. */
export function loadSlaPolicy(file?: string): SlaPolicy {
  if (!file)
    return SlaPolicy.parse({})
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  }
  catch (err) {
    throw new Error(`IOC_SLA_FILE: cannot read ${file}: ${(err as Error).message}`, { cause: err })
  }
  const parsed = SlaPolicy.safeParse(raw)
  if (!parsed.success)
    throw new Error(`IOC_SLA_FILE: ${file}:\n${z.prettifyError(parsed.error)}`)
  return parsed.data
}
