import { randomUUID } from 'node:crypto'
import { expect } from 'vitest'
import type { IncidentReportInput } from '@shared/schemas/incidents'
import { FeedConfig } from '@server/feeds/config'
import type { WorkOrderCommandInput, WorkOrderCommandAnswer } from '@shared/schemas/work-orders'
import type { HttpSession } from '@server/auth/auth.support'
import { signWebhook } from '@server/feeds/webhook.feed'

/** A webhook feed of 12345 orders for tests: `feedConfig` goes into the server's config, `push` sends signed batches. */
export function incidentWebhook(id = 'hotline-hooks', secret = 'a-test-secret-for-dispatch-hooks') {
  return {
    id,
    feedConfig: FeedConfig.parse({ id, adapter: 'webhook', secret: { value: secret } }),
    async push(baseUrl: string, records: IncidentReportInput[]): Promise<void> {
      const body = JSON.stringify({ kind: 'incident', records })
      const timestamp = Math.floor(Date.now() / 1000)
      const res = await fetch(`${baseUrl}/api/feeds/${id}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-ioc-timestamp': String(timestamp), 'x-ioc-signature': signWebhook(secret, timestamp, body) },
        body,
      })
      expect(res.status).toBe(202)
    },
  }
}

/** A 12345 call as upstream reports it, reported at `at`. */
export function hotlineCall(ticketNo: string, at: string, fields: Partial<IncidentReportInput> = {}): IncidentReportInput {
  return {
    ticketNo,
    version: at,
    reportedAt: at,
    nature: 'complaint',
    topic: 'environment',
    title: '工厂夜间排放刺鼻气味',
    description: '市民反映附近工厂夜间排放刺鼻气味，影响休息。',
    address: '沙田镇港口大道 18 号',
    location: { lng: 113.6196, lat: 22.9198 },
    townCode: '441900123',
    ...fields,
  }
}

/** Sends one command as `who`; the answer's status and body. */
export async function sendCommand(who: HttpSession, orderId: string, expectedVersion: number, command: WorkOrderCommandInput, commandId = randomUUID()) {
  return who.request<WorkOrderCommandAnswer & { error?: string, message?: string }>('POST', `/api/work-orders/${encodeURIComponent(orderId)}/commands`, { commandId, expectedVersion, command })
}
