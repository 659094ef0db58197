import type { RequestHandler } from 'express'
import helmet from 'helmet'

export interface SecurityHeaderOptions {
  /** Served over HTTPS (directly or behind a TLS-terminating proxy): pin it with HSTS and upgrade stray http: URLs. */
  tls: boolean
  /** The configured basemap's tile servers (IOC_BASEMAP): the only other origins the map may fetch from. */
  tileOrigins?: readonly string[]
}

/** A year, as HSTS is usually pinned. */
const HSTS_MAX_AGE_S = 365 * 24 * 60 * 60

/**
 * The Content-Security-Policy of the wall: everything from our own origin,
 * nothing inline, nothing evaluated. Every directive is written out (no
 * helmet defaults) because the defaults allow https: styles and fonts, and a
 * city intranet loads nothing from elsewhere.
 */
function contentSecurityDirectives(tls: boolean, tileOrigins: readonly string[]): Record<string, string[]> {
  return {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    'script-src-attr': ["'none'"],
    // Vue, ECharts and MapLibre style elements through the CSSOM (element.style), which CSP does not govern.
    // style="" in parsed HTML is refused: ECharts tooltips must draw on the canvas (renderMode: 'richText').
    'style-src': ["'self'"],
    // MapLibre's worker is a file of our own (client/composables/useCityMap.ts sets its URL), so no blob: here.
    'worker-src': ["'self'"],
    // 'self' covers ws: and wss: to the same host and port: socket.io's WebSocket.
    // MapLibre fetches tiles (raster ones too) with fetch(): a configured basemap's servers are listed here and in img-src.
    'connect-src': ["'self'", ...tileOrigins],
    // MapLibre may decode images through blob: URLs; its CSS draws control icons from data: URLs.
    'img-src': ["'self'", 'data:', 'blob:', ...tileOrigins],
    'font-src': ["'self'"],
    'object-src': ["'none'"],
    'base-uri': ["'self'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'self'"],
    // Only over TLS: on a plain-HTTP intranet it would send every request to an https: that is not there.
    ...(tls ? { 'upgrade-insecure-requests': [] } : {}),
  }
}

/** The HTTP security headers of every answer (helmet 8), CSP included. */
export function securityHeaders(options: SecurityHeaderOptions): RequestHandler {
  return helmet({
    contentSecurityPolicy: { useDefaults: false, directives: contentSecurityDirectives(options.tls, options.tileOrigins ?? []) },
    // Never on plain HTTP: a TLS proxy put in front for a while would otherwise pin browsers to HTTPS for a year.
    // No includeSubDomains: if the wall is served at a city's domain itself, its other hosts are not ours to pin.
    strictTransportSecurity: options.tls ? { maxAge: HSTS_MAX_AGE_S, includeSubDomains: false } : false,
  })
}
