import type { Alert } from './alerts'

/** Tests only: an alert with what a test does not care about filled in (a firing air alert of no town). */
export function alertFixture(fields: Pick<Alert, 'id'> & Partial<Alert>): Alert {
  const at = fields.raisedAt ?? '2026-11-23T02:00:00.000Z'
  return {
    ruleId: 'test',
    entityId: fields.id,
    domain: 'air',
    severity: 'warning',
    status: 'firing',
    title: fields.id,
    townCode: null,
    groupKey: fields.townCode ? `town:${fields.townCode}` : 'domain:air',
    value: null,
    raisedAt: at,
    updatedAt: at,
    acknowledgedBy: null,
    acknowledgedAt: null,
    resolvedAt: null,
    escalationLevel: 0,
    muted: false,
    workOrderId: null,
    ...fields,
  }
}
