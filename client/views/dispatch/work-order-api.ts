import { z } from 'zod'
import type { WorkOrder, WorkOrderBatchAnswer, WorkOrderCommandAnswer, WorkOrderCommandInput } from '@shared/schemas/work-orders'
import { WorkOrder as WorkOrderSchema, WorkOrderBatchAnswer as BatchAnswerSchema, WorkOrderCommandAnswer as AnswerSchema } from '@shared/schemas/work-orders'
import { HttpError } from '@client/stores/http'

/**
 * Work-order commands as the screens send them. The shared sendJson keeps
 * only a refusal's first words; a command needs the body (409: the order as
 * it now is; 422: the server's message for the form), so these read it.
 * A command that got no answer (the network failed) is sent again with the
 * SAME commandId: the server answers a repeat with the first answer and
 * changes nothing, so it applies once.
 */

export type CommandOutcome =
  | { kind: 'ok', answer: WorkOrderCommandAnswer }
  | { kind: 'conflict', message: string, order: WorkOrder }
  | { kind: 'refused', status: number, message: string }

const Conflict = z.object({ message: z.string(), order: WorkOrderSchema })
const Refused = z.object({ error: z.string().optional(), message: z.string().optional() })

/** Sends after a failed attempt: 3 tries in all, waiting a little longer each time. */
export const SEND_ATTEMPTS = 3
const RETRY_WAIT_MS = 400

/** A fresh idempotency key for one command (kept across its retries). */
export const newCommandId = (): string => crypto.randomUUID()

/** How a command's HTTP answer reads, status and body. */
export function readCommandAnswer(status: number, body: unknown): CommandOutcome {
  if (status === 200) {
    const ok = AnswerSchema.safeParse(body)
    if (!ok.success)
      throw new Error(`unexpected command answer (${ok.error.issues[0]?.path.join('.') ?? ''} ${ok.error.issues[0]?.message ?? ''})`)
    return { kind: 'ok', answer: ok.data }
  }
  if (status === 409) {
    const conflict = Conflict.safeParse(body)
    if (conflict.success)
      return { kind: 'conflict', message: conflict.data.message, order: conflict.data.order }
  }
  const refused = Refused.safeParse(body)
  const message = refused.success ? refused.data.message ?? refused.data.error ?? `HTTP ${status}` : `HTTP ${status}`
  if (status === 401)
    throw new HttpError(status, message)
  return { kind: 'refused', status, message }
}

/** POSTs `body` as JSON: the answer's status and body; a fetch that throws (no answer) is tried again with the same body. */
async function postWithRetry(url: string, body: unknown, csrfToken: string): Promise<{ status: number, body: unknown }> {
  const json = JSON.stringify(body)
  for (let attempt = 1; ; attempt++) {
    let res: Response
    try {
      res = await fetch(url, { method: 'POST', headers: { 'Accept': 'application/json', 'Content-Type': 'application/json', 'X-CSRF-Token': csrfToken }, body: json })
    }
    catch (err) {
      if (attempt >= SEND_ATTEMPTS)
        throw err
      await new Promise(resolve => setTimeout(resolve, RETRY_WAIT_MS * attempt))
      continue
    }
    return { status: res.status, body: await res.json().catch(() => null) }
  }
}

/** One command on one order, with the version the officer saw. */
export async function sendCommand(orderId: string, expectedVersion: number, command: WorkOrderCommandInput, csrfToken: string, commandId = newCommandId()): Promise<CommandOutcome> {
  const { status, body } = await postWithRetry(`/api/work-orders/${encodeURIComponent(orderId)}/commands`, { commandId, expectedVersion, command }, csrfToken)
  return readCommandAnswer(status, body)
}

export interface BatchItem { orderId: string, expectedVersion: number, command: WorkOrderCommandInput }

/** Several commands at once (bulk dispatch), each with its own key; each answered on its own. */
export async function sendBatch(items: readonly BatchItem[], csrfToken: string): Promise<WorkOrderBatchAnswer['results']> {
  const body = { items: items.map(i => ({ ...i, commandId: newCommandId() })) }
  const { status, body: answer } = await postWithRetry('/api/work-orders/commands', body, csrfToken)
  const parsed = BatchAnswerSchema.safeParse(answer)
  if (status !== 200 || !parsed.success) {
    const refused = Refused.safeParse(answer).data
    throw new HttpError(status, refused?.message ?? refused?.error ?? `HTTP ${status}`)
  }
  return parsed.data.results
}
