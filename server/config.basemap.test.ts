import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import { describe, expect, it } from 'vitest'
import { basemapOrigins } from '@shared/geo/basemap'
import { ConfigError, loadConfig } from './config'
import { securityHeaders } from './http/security-headers'

/** IOC_BASEMAP: an intranet tile server under the wall's map, and what the page may then fetch. */
describe('a configured basemap', () => {
  it('is absent by default: the map fetches no tile', () => {
    expect(loadConfig({}).basemap).toBeUndefined()
  })

  it('reads IOC_BASEMAP as JSON, with its coordinate system', () => {
    const config = loadConfig({ IOC_BASEMAP: JSON.stringify({ type: 'raster', tiles: ['https://tiles.city.example/{z}/{x}/{y}.png'], crs: 'gcj02', attribution: '市测绘院' }) })
    expect(config.basemap).toEqual({ type: 'raster', tiles: ['https://tiles.city.example/{z}/{x}/{y}.png'], tileSize: 256, maxzoom: 18, crs: 'gcj02', attribution: '市测绘院' })
    expect(loadConfig({ IOC_BASEMAP: '{"type":"vector","url":"/basemap/style.json","crs":"wgs84"}' }).basemap?.type).toBe('vector')
  })

  it('refuses one without its coordinate system, naming the variable', () => {
    expect(() => loadConfig({ IOC_BASEMAP: '{"type":"raster","tiles":["https://t.example/{z}/{x}/{y}.png"]}' })).toThrow(ConfigError)
    expect(() => loadConfig({ IOC_BASEMAP: '{"type":"raster","tiles":["https://t.example/{z}/{x}/{y}.png"]}' })).toThrow(/IOC_BASEMAP/)
    expect(() => loadConfig({ IOC_BASEMAP: '{"type":"raster","tiles":["ftp://t.example/x"],"crs":"wgs84"}' })).toThrow(/IOC_BASEMAP/)
  })

  it('lets the page fetch from the tile server\'s origin, and from nowhere else', async () => {
    const origins = basemapOrigins(loadConfig({ IOC_BASEMAP: '{"type":"raster","tiles":["https://a.tiles.example:8443/{z}/{x}/{y}.png","https://b.tiles.example/{z}/{x}/{y}.png"],"crs":"wgs84"}' }).basemap)
    expect(origins).toEqual(['https://a.tiles.example:8443', 'https://b.tiles.example'])
    const app = express()
    app.use(securityHeaders({ tls: false, tileOrigins: origins }))
    app.get('/', (_req, res) => res.send('ok'))
    const server = createServer(app).listen(0, '127.0.0.1')
    await new Promise(resolve => server.once('listening', resolve))
    try {
      const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
      const csp = res.headers.get('content-security-policy') ?? ''
      expect(csp).toContain("connect-src 'self' https://a.tiles.example:8443 https://b.tiles.example")
      expect(csp).toContain("img-src 'self' data: blob: https://a.tiles.example:8443 https://b.tiles.example")
      expect(csp).toContain("script-src 'self';")
    }
    finally {
      server.close()
    }
  })
})
