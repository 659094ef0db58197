import { HttpError } from '@client/stores/http'

/** What went wrong with a request, for the person who asked: a headline in their language and the server's own words. */
export interface ErrorText { title: string, detail: string }

type Translate = (key: string, named?: Record<string, unknown>) => string

const TITLE_BY_STATUS: Record<number, string> = {
  400: 'admin.error.badRequest',
  401: 'admin.error.unauthorized',
  403: 'admin.error.forbidden',
  404: 'admin.error.notFound',
  409: 'admin.error.conflict',
}

/** HttpError's message is `<url>: <what the server said>`; the URL means nothing to the reader. */
export function serverWords(err: HttpError): string {
  return err.message.replace(/^\S+: /, '')
}

export function errorText(err: unknown, t: Translate): ErrorText {
  if (err instanceof HttpError) {
    const key = TITLE_BY_STATUS[err.status]
    return { title: key ? t(key) : t('admin.error.status', { status: err.status }), detail: serverWords(err) }
  }
  // fetch rejects with a TypeError when the server cannot be reached at all.
  if (err instanceof TypeError)
    return { title: t('admin.error.network'), detail: '' }
  return { title: t('admin.error.unexpected'), detail: err instanceof Error ? err.message : String(err) }
}
