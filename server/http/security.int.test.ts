/**
 * The HTTP security of the running server: helmet's headers and our CSP on
 * the wall's page and on the API, and request bodies that are too large or
 * malformed answered with a short JSON error that gives nothing away.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import express from 'express'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { HttpSession } from '@server/auth/auth.support'
import { userSession } from '@server/auth/auth.support'
import { CSRF_HEADER } from '@server/auth/guard'
import { Config } from '@server/config'
import type { RunningServer } from '@server/main'
import { startServer } from '@server/main'
import { baseUrl } from '@server/realtime/int.support'
import { securityHeaders } from './security-headers'

/** The CSP header as directive name → its sources. */
function parseCsp(header: string | null): Map<string, string[]> {
  const directives = new Map<string, string[]>()
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name)
      directives.set(name.toLowerCase(), sources)
  }
  return directives
}

/** What an error body must not show: stack frames, source files, this machine's paths. */
function expectNothingGivenAway(text: string): void {
  expect(text).not.toMatch(/\bat\s+\S+\s+\(|^\s*at\s/m)
  expect(text).not.toMatch(/[\w.-]+\.(?:ts|js|mjs|cjs):\d+/)
  expect(text).not.toContain(process.cwd())
  expect(text).not.toContain('node_modules')
  expect(text).not.toMatch(/SyntaxError|PayloadTooLargeError/)
}

/** The helmet headers beside the CSP, as every answer carries them. */
const HELMET_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'SAMEORIGIN',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
}

describe('security headers and request bodies on the running server', { timeout: 60_000 }, () => {
  let dir: string
  let server: RunningServer
  /** A duty officer's session: drills are theirs to run. */
  let duty: HttpSession

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ioc-security-'))
    // A stand-in for the built client: the headers do not depend on what the page holds.
    const clientDir = join(dir, 'client')
    await mkdir(clientDir)
    await writeFile(join(clientDir, 'index.html'), '<!doctype html><title>wall</title><div id="app"></div>')
    server = await startServer(Config.parse({ port: 0, host: '127.0.0.1', dbFile: join(dir, 'ioc.db'), buildClient: false, simFaultRate: 0 }), { clientDir })
    duty = await userSession(server, baseUrl(server), ['duty_officer'])
  })
  afterAll(async () => {
    await server?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it.each(['/', '/wall', '/api/health', '/api/no-such-route'])('sends the CSP and helmet\'s headers on %s', async (path) => {
    const res = await fetch(`${baseUrl(server)}${path}`)
    await res.arrayBuffer()
    expect(res.status).toBe(path === '/api/no-such-route' ? 404 : 200)

    const csp = parseCsp(res.headers.get('content-security-policy'))
    expect(csp.get('default-src')).toEqual(["'self'"])
    expect(csp.get('script-src')).toEqual(["'self'"])
    expect(csp.get('script-src-attr')).toEqual(["'none'"])
    expect(csp.get('style-src')).toEqual(["'self'"])
    expect(csp.get('worker-src')).toEqual(["'self'"])
    expect(csp.get('connect-src')).toEqual(["'self'"])
    expect(csp.get('img-src')).toEqual(["'self'", 'data:', 'blob:'])
    expect(csp.get('object-src')).toEqual(["'none'"])
    expect(csp.get('base-uri')).toEqual(["'self'"])
    expect(csp.get('form-action')).toEqual(["'self'"])
    expect(csp.get('frame-ancestors')).toEqual(["'self'"])
    // Nothing evaluated, nothing inline, nothing from another host anywhere.
    const sources = [...csp.values()].flat()
    expect(sources).not.toContain("'unsafe-inline'")
    expect(sources).not.toContain("'unsafe-eval'")
    for (const source of sources)
      expect(source, 'a CSP source').toMatch(/^(?:'self'|'none'|data:|blob:)$/)

    for (const [name, value] of Object.entries(HELMET_HEADERS))
      expect(res.headers.get(name), name).toBe(value)
    expect(res.headers.get('x-powered-by')).toBeNull()
  })

  it('neither pins HTTPS nor upgrades requests on plain HTTP', async () => {
    for (const path of ['/', '/api/health']) {
      const res = await fetch(`${baseUrl(server)}${path}`)
      await res.arrayBuffer()
      expect(res.headers.get('strict-transport-security'), path).toBeNull()
      expect(parseCsp(res.headers.get('content-security-policy')).has('upgrade-insecure-requests'), path).toBe(false)
    }
  })

  /** A body sent as it is, to a route that parses JSON; signed in as `session` (with its CSRF token), or not at all. */
  const post = (path: string, body: string, session?: HttpSession): Promise<Response> => fetch(`${baseUrl(server)}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'origin': baseUrl(server), ...(session ? { cookie: session.cookie, [CSRF_HEADER]: session.info.csrfToken } : {}) },
    body,
  })
  /** Valid JSON and a valid request, then 1 MB of whitespace: its size is all that is wrong with it. */
  const padded = (request: unknown): string => JSON.stringify(request) + ' '.repeat(1024 * 1024)

  it('answers a 1 MB scenario body with 413 and a short JSON error', async () => {
    const request = { kind: 'heavy-rain', area: { region: 'south' } }
    const res = await post('/api/scenarios', padded(request), duty)
    const text = await res.text()
    expect(res.status).toBe(413)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(JSON.parse(text)).toEqual({ error: 'body too large' })
    expectNothingGivenAway(text)
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(server.simulator?.scenarios()).toEqual([])

    // The same request at its own size is played.
    const accepted = await post('/api/scenarios', JSON.stringify(request), duty)
    expect(accepted.status).toBe(201)
    const { id } = (await accepted.json()) as { id: string }
    expect((await duty.request('DELETE', `/api/scenarios/${id}`)).status).toBe(204)
  })

  it('answers malformed scenario JSON with 400 and no stack trace', async () => {
    const before = server.simulator?.scenarios().length
    const res = await post('/api/scenarios', '{"kind": "heavy-rain", "area": ', duty)
    const text = await res.text()
    expect(res.status).toBe(400)
    expect(res.headers.get('content-type')).toMatch(/^application\/json/)
    expect(JSON.parse(text)).toEqual({ error: 'bad request' })
    expectNothingGivenAway(text)
    expect(server.simulator?.scenarios().length).toBe(before)
  })

  it('gives a stranger the same short answers at the sign-in form', async () => {
    const large = await post('/api/auth/login', padded({ username: 'admin', password: 'x' }))
    const largeText = await large.text()
    expect(large.status).toBe(413)
    expect(JSON.parse(largeText)).toEqual({ error: 'body too large' })
    expectNothingGivenAway(largeText)

    const malformed = await post('/api/auth/login', '{"username": ')
    const malformedText = await malformed.text()
    expect(malformed.status).toBe(400)
    expect(JSON.parse(malformedText)).toEqual({ error: 'bad request' })
    expectNothingGivenAway(malformedText)
  })
})

describe('security headers over TLS', () => {
  let listening: { url: string, close: () => Promise<void> }

  beforeAll(async () => {
    // The middleware alone on a plain listener: the app is told it sits behind TLS, as behind a terminating proxy.
    const app = express()
    app.use(securityHeaders({ tls: true }))
    app.get('/', (_req, res) => {
      res.send('ok')
    })
    const http = app.listen(0, '127.0.0.1')
    await new Promise<void>(resolve => http.once('listening', () => resolve()))
    listening = {
      url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`,
      close: () => new Promise<void>(resolve => http.close(() => resolve())),
    }
  })
  afterAll(async () => {
    await listening?.close()
  })

  it('pins HTTPS for a year and upgrades insecure requests', async () => {
    const res = await fetch(`${listening.url}/`)
    await res.arrayBuffer()
    expect(res.headers.get('strict-transport-security')).toBe('max-age=31536000')
    const csp = parseCsp(res.headers.get('content-security-policy'))
    expect(csp.get('upgrade-insecure-requests')).toEqual([])
    expect(csp.get('script-src')).toEqual(["'self'"])
  })
})
