import { z } from 'zod'
import type { AlertDryRunRequest, AlertRule } from '@shared/schemas/alert-rules'
import { AlertDryRunResult, AlertRulesAnswer, AlertRuleSet } from '@shared/schemas/alert-rules'
import { getJson, HttpError } from '@client/stores/http'
import type { RuleIssue } from './rule-draft'
import { issueAt } from './rule-draft'

/**
 * The alert-rules REST calls. The shared sendJson keeps only a refusal's
 * message; a save needs the refusal's body too (400: the zod issues to place
 * at their fields; 409: the set someone else saved), so these read it.
 */
const RULES_URL = '/api/alert-rules'

const Invalid = z.object({ error: z.string().optional(), issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })) })
const Stale = z.object({ error: z.string().optional(), ruleSet: AlertRuleSet })

export type Refusal =
  | { kind: 'invalid', issues: RuleIssue[] }
  | { kind: 'stale', current: AlertRuleSet }

export type Sent<T> = { ok: true, data: T } | { ok: false, refusal: Refusal }

export const loadRules = (): Promise<AlertRulesAnswer> => getJson(RULES_URL, AlertRulesAnswer)

async function send<T>(method: 'PUT' | 'POST', url: string, body: unknown, csrfToken: string, schema: z.ZodType<T>): Promise<Sent<T>> {
  const res = await fetch(url, {
    method,
    headers: { 'Accept': 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken },
    body: JSON.stringify(body),
  })
  const answer: unknown = await res.json().catch(() => null)
  if (res.ok) {
    const parsed = schema.safeParse(answer)
    if (!parsed.success)
      throw new Error(`${url}: unexpected response (${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''})`)
    return { ok: true, data: parsed.data }
  }
  const invalid = res.status === 400 ? Invalid.safeParse(answer) : null
  if (invalid?.success)
    return { ok: false, refusal: { kind: 'invalid', issues: invalid.data.issues.map(issueAt) } }
  const stale = res.status === 409 ? Stale.safeParse(answer) : null
  if (stale?.success)
    return { ok: false, refusal: { kind: 'stale', current: stale.data.ruleSet } }
  const said = typeof answer === 'object' && answer !== null && 'error' in answer ? String(answer.error) : `HTTP ${res.status}`
  throw new HttpError(res.status, `${url}: ${said}`)
}

export const saveRules = (expectedRevision: number, rules: readonly AlertRule[], csrfToken: string): Promise<Sent<AlertRulesAnswer>> =>
  send('PUT', RULES_URL, { expectedRevision, rules }, csrfToken, AlertRulesAnswer)

export const dryRun = (request: AlertDryRunRequest, csrfToken: string): Promise<Sent<AlertDryRunResult>> =>
  send('POST', `${RULES_URL}/dry-run`, request, csrfToken, AlertDryRunResult)
