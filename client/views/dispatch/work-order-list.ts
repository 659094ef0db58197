import { dueStatus, runningDeadline } from '@shared/dispatch/sla'
import type { HandledIncident } from '@shared/schemas/work-order-views'
import type { IncidentNature, IncidentTopic } from '@shared/schemas/incident-kinds'
import type { WorkOrder, WorkOrderState } from '@shared/schemas/work-orders'

/**
 * The pure parts of the dispatch screens: the queue's filter as a query,
 * which copy of an order is the newest, the inbox's order, the deadline a
 * row shows, and how the keys move through a list.
 */

export interface QueueFilter {
  state: WorkOrderState | null
  topic: IncidentTopic | null
  nature: IncidentNature | null
  townCode: string | null
  departmentId: string | null
  due: 'overdue' | 'soon' | null
  supervised: boolean
  q: string
}

export const EMPTY_QUEUE_FILTER: QueueFilter = { state: null, topic: null, nature: null, townCode: null, departmentId: null, due: null, supervised: false, q: '' }

/** The query string of GET /api/work-orders for a filter (empty fields left out). */
export function queueQuery(filter: QueueFilter, limit: number): string {
  const params = new URLSearchParams()
  const q = filter.q.trim()
  for (const [key, value] of [['state', filter.state], ['topic', filter.topic], ['nature', filter.nature], ['townCode', filter.townCode], ['departmentId', filter.departmentId], ['due', filter.due], ['q', q || null]] as const) {
    if (value !== null)
      params.set(key, value)
  }
  if (filter.supervised)
    params.set('supervised', 'true')
  params.set('limit', String(limit))
  return params.toString()
}

/** The later of two copies of one order (a listing's, the stream's, a command's answer): the higher version. */
export function newerOrder<T extends { handling: WorkOrder }>(a: T | undefined, b: T | undefined): T | undefined {
  if (!a || !b)
    return a ?? b
  return b.handling.version > a.handling.version ? b : a
}

/** Whether an order still matches the queue's filter, as far as the client can tell (text and due are the server's to judge). */
export function matchesFilter(i: HandledIncident, filter: QueueFilter): boolean {
  const o = i.handling
  return (filter.state === null || o.state === filter.state)
    && (filter.topic === null || o.topic === filter.topic)
    && (filter.nature === null || o.nature === filter.nature)
    && (filter.townCode === null || o.townCode === filter.townCode)
    && (filter.departmentId === null || o.departmentId === filter.departmentId || o.assistingDepartmentIds.includes(filter.departmentId))
    && (!filter.supervised || o.supervision > 0)
}

/** A department's work first: 待签收, then 办理中, 待回访, 退单待审, the rest; within each the nearest deadline first. */
const INBOX_RANK: Readonly<Record<WorkOrderState, number>> = { dispatched: 0, in_progress: 1, pending_revisit: 2, returned: 3, accepted: 4, closed: 5, merged: 6 }

export function inboxOrder<T extends { handling: WorkOrder }>(items: readonly T[]): T[] {
  const dueOf = (o: WorkOrder): string => runningDeadline(o)?.dueAt ?? o.handleDueAt
  return [...items].sort((a, b) => INBOX_RANK[a.handling.state] - INBOX_RANK[b.handling.state] || dueOf(a.handling).localeCompare(dueOf(b.handling)))
}

export interface DueMark {
  status: 'overdue' | 'soon' | 'ok'
  /** Which deadline runs (签收 or 办结) and when it ends; null once replied to or closed. */
  kind: 'sign' | 'handle' | null
  dueAt: string | null
}

/** The deadline a row shows, judged by the server's clock. */
export function dueMark(order: WorkOrder, nowMs: number): DueMark {
  const running = runningDeadline(order)
  return { status: dueStatus(order, nowMs), kind: running?.kind ?? null, dueAt: running?.dueAt ?? null }
}

/** The id `step` rows from the current one (clamped); the first row when none is current. */
export function moveCursor(ids: readonly string[], current: string | null, step: number): string | null {
  if (ids.length === 0)
    return null
  const at = current === null ? -1 : ids.indexOf(current)
  if (at < 0)
    return ids[0]!
  return ids[Math.min(ids.length - 1, Math.max(0, at + step))]!
}

/** The selection with `id` added or taken out. */
export function toggled(selection: ReadonlySet<string>, id: string): Set<string> {
  const next = new Set(selection)
  if (!next.delete(id))
    next.add(id)
  return next
}

export type ConsoleKey = 'down' | 'up' | 'open' | 'select' | 'dispatch' | 'revisit' | 'supervise' | 'search' | 'help' | 'escape'

/** What a key press asks of the console; null for keys it does not use (and for those typed into a field: the field's). */
export function consoleKey(e: { key: string, ctrlKey: boolean, metaKey: boolean, altKey: boolean }, inField: boolean): ConsoleKey | null {
  if (e.ctrlKey || e.metaKey || e.altKey)
    return null
  if (e.key === 'Escape')
    return 'escape'
  if (inField)
    return null
  const keys: Record<string, ConsoleKey> = { 'j': 'down', 'ArrowDown': 'down', 'k': 'up', 'ArrowUp': 'up', 'Enter': 'open', 'x': 'select', 'd': 'dispatch', 'r': 'revisit', 's': 'supervise', '/': 'search', '?': 'help' }
  return keys[e.key] ?? null
}

/** Keys typed into a field are the field's. */
export function isField(target: EventTarget | null): boolean {
  return typeof HTMLElement !== 'undefined' && target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))
}
