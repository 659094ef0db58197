/**
 * What the keys or the detail's buttons ask of the actions pane: open a form
 * (r revisit, s supervise), confirm a dispatch as suggested (d), merge into
 * another order. `n` counts requests, so the same one asked twice is seen.
 */
export type ActionRequest =
  | { kind: 'dispatch-suggested', n: number }
  | { kind: 'revisit', n: number }
  | { kind: 'supervise', n: number }
  | { kind: 'merge', intoId: string, n: number }
