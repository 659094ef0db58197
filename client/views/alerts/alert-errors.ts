import type { ErrorText } from '@client/components/admin/errors'
import { errorText, serverWords } from '@client/components/admin/errors'
import { HttpError } from '@client/stores/http'

type Translate = (key: string, named?: Record<string, unknown>) => string

/** What the operator was doing when the server refused: the refusals that mean something particular in each. */
export type AlertAction = 'ack' | 'work-order' | 'silence' | 'end-silence' | 'load' | 'load-list'

const MEANING: Partial<Record<AlertAction, Partial<Record<number, string>>>> = {
  'ack': { 409: 'alertsConsole.errors.ackResolved', 404: 'alertsConsole.errors.notFound' },
  'work-order': { 409: 'alertsConsole.errors.hasWorkOrder', 404: 'alertsConsole.errors.notFound' },
  'end-silence': { 404: 'alertsConsole.errors.silenceGone' },
  'load': { 404: 'alertsConsole.errors.notFound' },
}

/** A refusal in the operator's language, with the server's own words beneath; other failures as the admin screens say them. */
export function alertErrorText(action: AlertAction, err: unknown, t: Translate): ErrorText {
  if (err instanceof HttpError) {
    const key = MEANING[action]?.[err.status] ?? (err.status === 403 ? 'alertsConsole.errors.forbidden' : undefined)
    if (key)
      return { title: t(key), detail: serverWords(err) }
  }
  return errorText(err, t)
}
