/**
 * The wall's city map against the real server and a real Chromium: every
 * layer drawn from the city model and the live streams, road grades as
 * feature-state equal to what the stores hold (and as data under the naive
 * strategy the benchmark compares with), the town colouring switched by an
 * operator, a station's detail with its history, and a flight to a newly
 * raised critical alert. Screenshots of each scene's map go to test-results/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deflateSync } from 'node:zlib'
import gcoord from 'gcoord'
import type { GeoJSONSource } from 'maplibre-gl'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Alert } from '@shared/schemas/alerts'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import { loadCity } from '@server/city'
import { Config } from '@server/config'
import { startServer } from '@server/main'
import type { WallHarness } from './harness'
import { closePagesAfterEach, screenshotDir, startWallHarness, wallUrl } from './harness'

/** A 256×256 PNG of one colour: what a tile server sends. */
function solidPng(rgb: [number, number, number]): Buffer {
  const crc = (bytes: Buffer): number => {
    let c = ~0
    for (const b of bytes) {
      c ^= b
      for (let k = 0; k < 8; k++)
        c = (c >>> 1) ^ (0xEDB88320 & -(c & 1))
    }
    return ~c >>> 0
  }
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(body.length + 8)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc(body), body.length + 4)
    return out
  }
  const size = 256
  const header = Buffer.alloc(13)
  header.writeUInt32BE(size, 0)
  header.writeUInt32BE(size, 4)
  header.set([8, 2, 0, 0, 0], 8)
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3).map((_, i) => rgb[i % 3] as number)])
  const pixels = Buffer.concat(Array.from({ length: size }, () => row))
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', deflateSync(pixels)), chunk('IEND', Buffer.alloc(0))])
}

const city = loadCity('dongguan')
/** The built client the harness serves (it is rebuilt before the first test when sources changed). */
const CLIENT_DIR = fileURLToPath(new URL('../../dist/client', import.meta.url))
const HUMEN = city.towns.find(t => t.name === '虎门镇')!
const CHANGAN = city.towns.find(t => t.name === '长安镇')!
const SCENES = ['overview', 'air', 'traffic', 'halls', 'incidents'] as const

async function openMap(h: WallHarness, query: string, viewport = { width: 1920, height: 1080 }): Promise<{ page: Page, errors: string[] }> {
  const page = await h.browser.newPage({ viewport })
  const errors: string[] = []
  page.on('pageerror', err => errors.push(err.message))
  page.on('console', (m) => {
    // MapLibre reports a bad style expression or source update as a console error, not a page error.
    if (m.type() === 'error' && !m.text().includes('401'))
      errors.push(m.text())
  })
  // A fixed scene unless the query says otherwise: the wall would otherwise rotate through them while the test looks.
  await page.goto(await wallUrl(h.server, `?${query.includes('rotate=') ? query : `rotate=0&${query}`}`))
  await page.waitForFunction(() => window.__iocMapProbe?.ready() === true, undefined, { timeout: 90_000 })
  return { page, errors }
}

/** Distinct feature ids of a source among the tiles the map has loaded. */
const sourceIds = (page: Page, source: string): Promise<number> =>
  page.evaluate(s => new Set(window.__iocMap?.querySourceFeatures(s).map(f => f.id)).size, source)

/** Segments whose drawn grade (feature-state, or the property under setData) equals the stores' grade, and how many the stores grade. */
const gradeAgreement = (page: Page, from: 'state' | 'data'): Promise<{ agree: number, graded: number }> => page.evaluate((mode) => {
  const map = window.__iocMap
  const probe = window.__iocMapProbe
  if (!map || !probe)
    return { agree: 0, graded: 0 }
  const store = probe.storeGrades()
  const drawn = new Map(mode === 'data' ? map.querySourceFeatures('roads').map(f => [f.id, f.properties.grade as unknown]) : [])
  let agree = 0
  for (const [id, grade] of Object.entries(store)) {
    const state = map.getFeatureState({ source: 'roads', id: Number(id) }) as { grade?: number }
    const shown = mode === 'state' ? state.grade : drawn.get(Number(id))
    if (shown === grade)
      agree++
  }
  return { agree, graded: Object.keys(store).length }
}, from)

describe('the wall\'s city map', () => {
  let h: WallHarness

  beforeAll(async () => {
    // The alerts on screen are the ones this file publishes: the rules stay off.
    h = await startWallHarness({ alerts: false })
    mkdirSync(screenshotDir, { recursive: true })
  })
  closePagesAfterEach(() => h?.browser)
  afterAll(async () => {
    await h?.close()
  })

  it('draws every layer: towns, stations with their AQI, road grades as feature-state, halls, incidents', async () => {
    const { page, errors } = await openMap(h, 'scene=overview')
    expect(await page.evaluate(() => window.__iocMapProbe?.strategy)).toBe('partial')

    // The stations, each with its AQI as text (the level reads without colour).
    await page.waitForFunction(() => (window.__iocMap?.queryRenderedFeatures({ layers: ['air-stations'] }).filter(f => /^\d+$/.test(String(f.properties.aqi))).length ?? 0) >= 33, undefined, { timeout: 60_000 })
    // Dongguan's towns as schematic areas, said so in the legend; every hall and every road segment.
    expect(await sourceIds(page, 'town-areas')).toBe(city.towns.length)
    expect(await page.getByTestId('map-legend-schematic').count()).toBe(1)
    await expect.poll(() => sourceIds(page, 'halls'), { timeout: 30_000 }).toBe(city.halls.length)
    await expect.poll(() => sourceIds(page, 'roads'), { timeout: 30_000 }).toBe(city.roads.length)
    // Incidents arrive by updateData: the heatmap's source fills up.
    await expect.poll(() => sourceIds(page, 'incident-heat'), { timeout: 60_000 }).toBeGreaterThan(5)

    // Each segment's grade on the map is the store's, set as feature-state: the source data carries no grade.
    await expect.poll(async () => {
      const { agree, graded } = await gradeAgreement(page, 'state')
      return graded >= city.roads.length * 0.9 && agree === graded
    }, { timeout: 60_000 }).toBe(true)
    expect(await page.evaluate(() => window.__iocMap?.querySourceFeatures('roads').some(f => f.properties.grade !== undefined))).toBe(false)
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows the stations\' AQI as soon as the stores have it, not only once MapLibre has drawn every tile', async () => {
    const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 } })
    // Times (page clock) at which the stores first held all 33 rated readings, the map first drew 33 numbers, and MapLibre said `load`.
    await page.addInitScript(() => {
      const marks: Record<string, number> = {}
      Object.assign(window, { __marks: marks })
      const poll = setInterval(() => {
        const map = window.__iocMap
        const probe = window.__iocMapProbe
        if (!map || !probe)
          return
        if (marks.store === undefined && probe.storeRatedStations() >= 33)
          marks.store = performance.now()
        if (marks.drawn === undefined && map.getLayer('air-stations') && map.queryRenderedFeatures({ layers: ['air-stations'] }).filter(f => /^\d+$/.test(String(f.properties.aqi))).length >= 33)
          marks.drawn = performance.now()
        if (marks.load === undefined && map.loaded())
          marks.load = performance.now()
        if (marks.store !== undefined && marks.drawn !== undefined)
          clearInterval(poll)
      }, 50)
    })
    await page.goto(await wallUrl(h.server, '?rotate=0&scene=air'))
    const marks = await (await page.waitForFunction(() => {
      const m = (window as unknown as { __marks: Record<string, number> }).__marks
      return m.store !== undefined && m.drawn !== undefined ? m : null
    }, undefined, { timeout: 90_000 })).jsonValue()
    if (!marks)
      throw new Error('no marks')
    console.log(`[map] stores rated 33 stations at ${Math.round(marks.store!)} ms, the map drew them at ${Math.round(marks.drawn!)} ms, MapLibre loaded at ${marks.load === undefined ? '-' : Math.round(marks.load)} ms`)
    // The map used to apply readings only after MapLibre's `load` (every tile of every source drawn once: seconds on a busy
    // wall, never while sources keep changing) and showed '—' until then. Readings the stores hold before it are drawn before it.
    if (marks.load === undefined || marks.store! < marks.load)
      expect(marks.load === undefined || marks.drawn! <= marks.load).toBe(true)
    else
      expect(marks.drawn! - marks.store!).toBeLessThan(4_000)
    await page.close()
  })

  it('switches the town colouring when an operator picks another metric', async () => {
    const { page, errors } = await openMap(h, 'scene=overview')
    // The stores move every second at 60×: on a loaded machine a town or two may be read between a store's change and
    // the next tick's drawing, so "the map draws the stores' values" is: nine towns in ten drawn as the stores have them.
    const townState = (): Promise<{ metric: string | null, equal: boolean, towns: number, fill: string }> => page.evaluate(() => {
      const map = window.__iocMap
      const probe = window.__iocMapProbe
      if (!map || !probe)
        return { metric: null, equal: false, towns: 0, fill: '' }
      const { metric, values } = probe.townValues()
      const codes = new Map(map.querySourceFeatures('town-areas').map(f => [f.id as number, f.properties.code as string]))
      let same = 0
      for (const [id, code] of codes) {
        const drawn = (map.getFeatureState({ source: 'town-areas', id }) as { value?: number }).value
        if (drawn === (values[code] ?? -1))
          same++
      }
      return { metric, equal: codes.size > 0 && same >= 0.9 * codes.size, towns: Object.keys(values).length, fill: JSON.stringify(map.getPaintProperty('town-fill', 'fill-color')) }
    })
    await expect.poll(async () => {
      const s = await townState()
      return s.equal && s.towns > 30
    }, { timeout: 90_000 }).toBe(true)
    const aqi = await townState()
    expect(aqi.metric).toBe('aqi')

    await page.locator('[data-testid="map-switcher"] [data-metric="tpi"]').click()
    await expect.poll(async () => {
      const s = await townState()
      return s.metric === 'tpi' && s.equal && s.towns > 30
    }, { timeout: 30_000 }).toBe(true)
    const tpi = await townState()
    // Other classes, other colours: the fill expression itself changed, not only the values.
    expect(tpi.fill).not.toBe(aqi.fill)
    expect(tpi.fill).toContain('#1A9850')
    expect(await page.getByTestId('map-legend').textContent()).toContain('交通指数')

    // Picking it again turns the colouring off.
    await page.locator('[data-testid="map-switcher"] [data-metric="tpi"]').click()
    await expect.poll(() => page.evaluate(() => window.__iocMap?.getLayoutProperty('town-fill', 'visibility'))).toBe('none')
    expect(errors).toEqual([])
    await page.close()
  })

  it('opens a station\'s detail with its last 24 hours on a click, and closes it with Esc', async () => {
    const { page, errors } = await openMap(h, 'scene=air')
    await page.waitForFunction(() => (window.__iocMap?.queryRenderedFeatures({ layers: ['air-stations'] }).filter(f => f.properties.aqi !== '—').length ?? 0) >= 33, undefined, { timeout: 60_000 })
    // A station clear of the switcher and legend on the left: the easternmost.
    const target = [...city.airStations].sort((a, b) => b.lng - a.lng)[0]!
    const box = await page.getByTestId('city-map').boundingBox()
    const at = await page.evaluate(([lng, lat]) => window.__iocMap!.project([lng, lat]), [target.lng, target.lat] as [number, number])
    await page.mouse.click(box!.x + at.x, box!.y + at.y)

    const detail = page.getByTestId('map-detail')
    await detail.waitFor({ timeout: 15_000 })
    expect(await detail.getAttribute('data-kind')).toBe('station')
    expect(await detail.getAttribute('data-id')).toBe(target.id)
    expect(await detail.textContent()).toContain(target.name)
    // Its AQI history from GET /api/history, on the server's clock, charted.
    await expect.poll(() => page.getByTestId('map-detail-history').getAttribute('data-state'), { timeout: 30_000 }).toBe('ready')
    expect(Number(await page.getByTestId('map-detail-chart').getAttribute('data-points'))).toBeGreaterThan(0)
    await expect.poll(() => page.locator('[data-testid="map-detail-chart"] canvas').count(), { timeout: 10_000 }).toBeGreaterThan(0)
    await page.getByTestId('city-map').screenshot({ path: join(screenshotDir, 'map-detail-station-1920x1080.png') })

    await page.keyboard.press('Escape')
    await detail.waitFor({ state: 'detached', timeout: 5_000 })
    expect(errors).toEqual([])
    await page.close()
  })

  it('flies to a newly raised critical alert and marks its town; alerts the wall opened with stay put', async () => {
    const { page, errors } = await openMap(h, 'scene=overview')
    const fit = await page.evaluate(() => window.__iocMapProbe!.fitZoom())
    await page.waitForFunction(() => window.__iocMapProbe?.alertsReady() === true, undefined, { timeout: 30_000 })
    const raisedAt = new Date().toISOString()
    const alert: Alert = alertFixture({ id: 'test:map-humen', ruleId: 'air.threshold', severity: 'critical', title: '虎门镇二氧化硫浓度超标', townCode: HUMEN.code, raisedAt })
    h.server.bus.emit('alerts.updated', { alerts: [alert], summary: { firing: 1, acknowledged: 0 } })

    await page.locator(`.map-alert[data-town="${HUMEN.code}"][data-severity="critical"]`).waitFor({ state: 'attached', timeout: 15_000 })
    // The flight ends over the town, closer in than the city-wide view.
    const landed = await (await page.waitForFunction(([lng, lat]) => {
      const map = window.__iocMap
      if (!map || map.isMoving())
        return null
      const c = map.getCenter()
      return Math.hypot(c.lng - lng, c.lat - lat) < 0.01 ? { zoom: map.getZoom() } : null
    }, [HUMEN.lng, HUMEN.lat] as [number, number], { timeout: 30_000 })).jsonValue()
    expect(landed?.zoom).toBeGreaterThan(fit + 1)

    // A wall opened now finds the alert in its first snapshot: a marker, but no flight.
    const later = await openMap(h, 'scene=overview')
    await later.page.locator(`.map-alert[data-town="${HUMEN.code}"]`).waitFor({ state: 'attached', timeout: 30_000 })
    await later.page.waitForTimeout(4_000)
    const view = await later.page.evaluate(() => ({ zoom: window.__iocMap!.getZoom(), fit: window.__iocMapProbe!.fitZoom() }))
    expect(Math.abs(view.zoom - view.fit)).toBeLessThan(0.05)
    expect(later.errors).toEqual([])
    await later.page.close()

    // Acknowledged, it lets go of the wall (the room knows) and stops pulsing; a major one elsewhere pulses.
    const now = new Date().toISOString()
    const major: Alert = alertFixture({ id: 'test:map-changan', ruleId: 'traffic.jam', domain: 'traffic', severity: 'major', title: '长安镇主干路严重拥堵', townCode: CHANGAN.code, raisedAt: now })
    h.server.bus.emit('alerts.updated', { alerts: [{ ...alert, status: 'acknowledged', updatedAt: now }, major], summary: { firing: 1, acknowledged: 1 } })
    await page.locator(`.map-alert[data-town="${HUMEN.code}"][data-status="acknowledged"]`).waitFor({ state: 'attached', timeout: 15_000 })
    await page.locator(`.map-alert[data-town="${CHANGAN.code}"][data-severity="major"]`).waitFor({ state: 'attached', timeout: 15_000 })
    // Nothing covers the map any more (a takeover would).
    await expect.poll(() => page.evaluate(() => {
      const box = document.querySelector('[data-testid="city-map"]')?.getBoundingClientRect()
      return box ? document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)?.closest('.city-map') !== null : false
    }), { timeout: 15_000 }).toBe(true)
    await page.getByTestId('city-map').screenshot({ path: join(screenshotDir, 'map-alert-1920x1080.png') })

    const end = new Date().toISOString()
    h.server.bus.emit('alerts.updated', { alerts: [{ ...alert, status: 'resolved', updatedAt: end }, { ...major, status: 'resolved', updatedAt: end }], summary: { firing: 0, acknowledged: 0 } })
    await expect.poll(() => page.locator('.map-alert').count(), { timeout: 15_000 }).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  }, 240_000)

  it('replaces whole sources under ?mapUpdate=setData, the naive strategy the benchmark compares with', async () => {
    const { page, errors } = await openMap(h, 'scene=traffic&mapUpdate=setData')
    expect(await page.evaluate(() => window.__iocMapProbe?.strategy)).toBe('setData')
    await expect.poll(async () => {
      const { agree, graded } = await gradeAgreement(page, 'data')
      return graded >= city.roads.length * 0.9 && agree === graded
    }, { timeout: 60_000 }).toBe(true)
    // No feature-state on this path: the grade travels in the data.
    expect(await page.evaluate(() => (window.__iocMap?.getFeatureState({ source: 'roads', id: 0 }) as { grade?: number } | undefined)?.grade)).toBeUndefined()
    expect(errors).toEqual([])
    await page.close()
  })

  it('draws a configured GCJ-02 raster basemap from its own origin, with the city shifted onto it', { timeout: 240_000 }, async () => {
    const tile = solidPng([40, 60, 70])
    const asked: string[] = []
    const tiles = createServer((req, res) => {
      asked.push(req.url ?? '')
      res.writeHead(200, { 'Content-Type': 'image/png', 'Access-Control-Allow-Origin': '*' }).end(tile)
    }).listen(0, '127.0.0.1')
    await new Promise(resolve => tiles.once('listening', resolve))
    const dir = mkdtempSync(join(tmpdir(), 'ioc-map-basemap-'))
    const server = await startServer(Config.parse({
      port: 0, host: '127.0.0.1', dbFile: join(dir, 'ioc.db'), buildClient: false, simSpeed: 60, simIntervalMs: 1000, simFaultRate: 0,
      basemap: { type: 'raster', tiles: [`http://127.0.0.1:${(tiles.address() as AddressInfo).port}/{z}/{x}/{y}.png`], crs: 'gcj02', attribution: 'test tiles' },
    }), { clientDir: CLIENT_DIR })
    try {
      const page = await h.browser.newPage({ viewport: { width: 1920, height: 1080 } })
      const errors: string[] = []
      page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().includes('401'))
          errors.push(m.text())
      })
      await page.goto(await wallUrl(server, '?rotate=0&scene=air'))
      await page.waitForFunction(() => window.__iocMapProbe?.ready() === true, undefined, { timeout: 60_000 })
      // Tiles came from the tile server, under the page's CSP (a refused fetch would be a console error).
      await expect.poll(() => asked.filter(u => /^\/\d+\/\d+\/\d+\.png$/.test(u)).length, { timeout: 30_000 }).toBeGreaterThan(0)
      expect(await page.evaluate(() => window.__iocMap?.getLayer('basemap')?.type)).toBe('raster')
      // Our WGS-84 stations are drawn where GCJ-02 tiles have them.
      const station = city.airStations[0]!
      const drawn = await page.evaluate(async () => {
        const data = await window.__iocMap?.getSource<GeoJSONSource>('stations')?.getData()
        return data?.type === 'FeatureCollection' && data.features[0]?.geometry.type === 'Point' ? data.features[0].geometry.coordinates : null
      })
      const expected = gcoord.transform<[number, number]>([station.lng, station.lat], gcoord.WGS84, gcoord.GCJ02)
      expect(drawn?.[0]).toBeCloseTo(expected[0], 6)
      expect(drawn?.[1]).toBeCloseTo(expected[1], 6)
      expect(Math.abs(drawn![0]! - station.lng)).toBeGreaterThan(0.001)
      await page.getByTestId('city-map').screenshot({ path: join(screenshotDir, 'map-basemap-1920x1080.png') })
      expect(errors).toEqual([])
      await page.close()
    }
    finally {
      await server.close()
      tiles.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('shows each scene\'s layers at 1920×1080', { timeout: 300_000 }, async () => {
    // One page, paused, stepped through the scenes with the operator's → key: the one map follows each scene.
    const { page, errors } = await openMap(h, 'scene=overview&rotate=1')
    await page.keyboard.press('Space')
    await expect.poll(() => page.getByTestId('scene-indicator').getAttribute('data-state')).toBe('paused')
    for (const [i, scene] of SCENES.entries()) {
      if (i > 0)
        await page.keyboard.press('ArrowRight')
      await expect.poll(() => page.locator('.city-map').getAttribute('data-scene'), { timeout: 30_000 }).toBe(scene)
      await page.waitForFunction(() => (window.__iocMap?.queryRenderedFeatures({ layers: ['town-labels'] }).length ?? 0) > 10, undefined, { timeout: 60_000 })
      // The camera eases to the scene's view.
      await page.waitForTimeout(3_000)
      await page.screenshot({ path: join(screenshotDir, `map-${scene}-1920x1080.png`) })
    }
    expect(errors).toEqual([])
    await page.close()
  })
})
