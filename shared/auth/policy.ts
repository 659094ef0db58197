import { z } from 'zod'
import type { StreamName } from '@shared/realtime/streams'

/**
 * Who may do what: the one table of role × action behind every REST route
 * and every socket event (reliability.md §4.2). Deny by default: an action
 * not granted here is refused, and a route or event without an action
 * cannot be registered (server/auth/guard.ts).
 */

/** 值班员 watches the wall and acknowledges alerts; 值班长 runs work orders; 部门处理人 acts for its own department; 领导 reviews; 管理员 administers. */
export const ROLES = ['operator', 'duty_officer', 'dept_handler', 'leader', 'admin'] as const
export const Role = z.enum(ROLES)
export type Role = z.infer<typeof Role>

export const ACTIONS = [
  /** Live telemetry, KPIs, feed health, the city model, history: what a wall shows. */
  'live.view',
  /** Every incident and work order of the city (department handlers: see 'incidents.view.own'). */
  'incidents.view',
  /** The incidents and work orders of one's own department only. */
  'incidents.view.own',
  'alerts.view',
  'alerts.ack',
  /** Silence alerts and plan maintenance windows: they still show, they do not sound or notify. */
  'alerts.silence',
  /** Create, dispatch, supervise, urge, recall and close work orders. */
  'workorders.dispatch',
  /** Sign for, handle, return and finish one's own department's work orders. */
  'workorders.handle',
  /** Reports and metrics over days and weeks. */
  'review.view',
  /** Rejected records and connector details. */
  'feeds.view',
  'feeds.manage',
  /** Start and stop drills (scenarios). */
  'scenarios.run',
  'rules.manage',
  'users.manage',
  'departments.manage',
  'tokens.manage',
  'audit.view',
  /** The wall layout presets (scenes, rotation, takeover, night mode): what a wall reads to run itself. */
  'wall.layout.view',
  'wall.layout.manage',
] as const
export const Action = z.enum(ACTIONS)
export type Action = z.infer<typeof Action>

export const ROLE_ACTIONS: { readonly [R in Role]: readonly Action[] } = {
  operator: ['live.view', 'incidents.view', 'alerts.view', 'alerts.ack', 'alerts.silence', 'feeds.view', 'wall.layout.view'],
  duty_officer: ['live.view', 'incidents.view', 'alerts.view', 'alerts.ack', 'alerts.silence', 'workorders.dispatch', 'feeds.view', 'scenarios.run', 'wall.layout.view'],
  dept_handler: ['live.view', 'incidents.view.own', 'workorders.handle', 'wall.layout.view'],
  leader: ['live.view', 'incidents.view', 'alerts.view', 'review.view', 'feeds.view', 'wall.layout.view'],
  admin: ['live.view', 'alerts.view', 'alerts.silence', 'feeds.view', 'feeds.manage', 'scenarios.run', 'rules.manage', 'users.manage', 'departments.manage', 'tokens.manage', 'audit.view', 'wall.layout.view', 'wall.layout.manage'],
}

/** A wall display's token: view only, never an action that changes anything. */
export const DISPLAY_ACTIONS: readonly Action[] = ['live.view', 'incidents.view', 'alerts.view', 'wall.layout.view']

/** What a subscription to each stream needs. */
export const STREAM_ACTIONS: { readonly [S in StreamName]: Action } = {
  'air': 'live.view',
  'traffic': 'live.view',
  'halls': 'live.view',
  'feed-health': 'live.view',
  'kpis': 'live.view',
  'incidents': 'incidents.view',
  'alerts': 'alerts.view',
}

/** Who is asking: a signed-in user (with roles and a department, or the center), or a wall display's token. */
export type Principal =
  | { kind: 'user', userId: string, username: string, roles: readonly Role[], departmentId: string | null }
  | { kind: 'display', tokenId: string, name: string }

export function actionsOf(principal: Principal): ReadonlySet<Action> {
  return new Set(principal.kind === 'display' ? DISPLAY_ACTIONS : principal.roles.flatMap(role => ROLE_ACTIONS[role]))
}

export function can(principal: Principal | null, action: Action): boolean {
  return principal !== null && actionsOf(principal).has(action)
}
