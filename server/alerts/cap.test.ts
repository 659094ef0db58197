import { SaxesParser } from 'saxes'
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadCity } from '@server/city'
import { alertFixture } from '@shared/schemas/alerts.fixture'
import type { Alert, AlertDomain, AlertSeverity } from '@shared/schemas/alerts'
import type { CapContext } from './cap'
import { alertToCap, CAP_NAMESPACE, capContext, capDateTime, capIdentifier } from './cap'

/** The element sequences of CAP 1.2 §3.2 (alert, info, area), in the order the schema requires. */
const ALERT_ORDER = ['identifier', 'sender', 'sent', 'status', 'msgType', 'source', 'scope', 'restriction', 'addresses', 'code', 'note', 'references', 'incidents', 'info']
const INFO_ORDER = ['language', 'category', 'event', 'responseType', 'urgency', 'severity', 'certainty', 'audience', 'eventCode', 'effective', 'onset', 'expires', 'senderName', 'headline', 'description', 'instruction', 'web', 'contact', 'parameter', 'resource', 'area']
const AREA_ORDER = ['areaDesc', 'polygon', 'circle', 'geocode', 'altitude', 'ceiling']

/** An element as the parser reported it; `text` is what it holds directly (meaningful for leaves). */
interface Element {
  localName: string
  namespaceURI: string
  children: Element[]
  textContent: string
}

/**
 * saxes is a conforming, non-validating XML parser that reports every
 * well-formedness error (a bare `&`, a stray `<`, a character XML does not
 * allow, mismatched tags); a document it reads to the end is well-formed.
 */
function parse(xml: string): { documentElement: Element } {
  const parser = new SaxesParser({ xmlns: true })
  const stack: Element[] = []
  let root: Element | undefined
  parser.on('opentag', (tag) => {
    const e: Element = { localName: tag.local, namespaceURI: tag.uri, children: [], textContent: '' }
    stack.at(-1)?.children.push(e)
    stack.push(e)
    root ??= e
  })
  parser.on('text', (t) => {
    const top = stack.at(-1)
    if (top)
      top.textContent += t
  })
  parser.on('closetag', () => {
    stack.pop()
  })
  parser.write(xml).close()
  if (!root)
    throw new Error('no root element')
  return { documentElement: root }
}

function kids(e: Element): Element[] {
  return e.children
}
function names(e: Element): string[] {
  return kids(e).map(k => k.localName)
}
function child(e: Element, name: string): Element {
  const found = kids(e).find(k => k.localName === name)
  if (!found)
    throw new Error(`no <${name}> in <${e.localName}>`)
  return found
}
function text(e: Element, name: string): string {
  return child(e, name).textContent
}
/** Every child is an element the sequence knows, in the sequence's order (repeats allowed). */
function expectInOrder(e: Element, order: readonly string[]): void {
  const idx = names(e).map(n => order.indexOf(n))
  expect(idx, `${names(e).join(',')} in ${e.localName}`).not.toContain(-1)
  expect(idx).toEqual([...idx].sort((a, b) => a - b))
}
function parameters(info: Element): Record<string, string> {
  return Object.fromEntries(kids(info).filter(k => k.localName === 'parameter').map(p => [text(p, 'valueName'), text(p, 'value')]))
}

let dongguan: CapContext
let jiangmen: CapContext
beforeAll(() => {
  dongguan = capContext(loadCity('dongguan'))
  jiangmen = capContext(loadCity('jiangmen'))
})

const RAISED = '2026-11-23T02:00:00.123Z'
function firing(over: Partial<Alert> = {}): Alert {
  return alertFixture({ id: 'aqi-high|DG-AIR-06|1795399200123', ruleId: 'aqi-high', entityId: 'DG-AIR-06', townCode: '441900006', title: '站点中度污染：莞城 AQI 162', value: 162, raisedAt: RAISED, severity: 'major', ...over })
}
function capOf(alert: Alert, ctx: Partial<CapContext> = {}): { root: Element, info: Element, area: Element, xml: string } {
  const xml = alertToCap(alert, { ...dongguan, ruleName: 'AQI 超过 150 持续 20 分钟', ruleKind: 'threshold', ...ctx })
  const root = parse(xml).documentElement
  const info = child(root, 'info')
  return { root, info, area: child(info, 'area'), xml }
}

describe(capDateTime.name, () => {
  it('gives China time with the +08:00 offset and no fraction of a second', () => {
    expect(capDateTime('2026-11-23T02:00:00.999Z')).toBe('2026-11-23T10:00:00+08:00')
    expect(capDateTime('2026-11-23T18:30:05Z')).toBe('2026-11-24T02:30:05+08:00')
    expect(capDateTime('2026-11-23T10:00:00+08:00')).toBe('2026-11-23T10:00:00+08:00')
    expect(() => capDateTime('yesterday')).toThrow(RangeError)
  })
})

describe(capIdentifier.name, () => {
  it('is URL-safe, free of what CAP forbids, and gives back the alert id', () => {
    const part = fc.string({ unit: 'grapheme', minLength: 1 }).filter(s => !s.includes('|'))
    fc.assert(fc.property(fc.tuple(part, part, part), (parts) => {
      const id = capIdentifier(parts.join('|'))
      expect(id).toMatch(/^[\w.~%-]+$/)
      expect(id.split('~').map(decodeURIComponent)).toEqual(parts)
    }))
    expect(capIdentifier('aqi-high|DG-AIR-06|1795399200123')).toBe('aqi-high~DG-AIR-06~1795399200123')
    expect(capIdentifier('热线聚集|莞城 A,B|1')).toBe('%E7%83%AD%E7%BA%BF%E8%81%9A%E9%9B%86~%E8%8E%9E%E5%9F%8E%20A%2CB~1')
  })
})

describe(alertToCap.name, () => {
  it('renders a firing alert as a well-formed CAP 1.2 Alert with the elements in schema order', () => {
    const { root, info, area, xml } = capOf(firing())
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2">')).toBe(true)
    expect(root.localName).toBe('alert')
    expect(root.namespaceURI).toBe(CAP_NAMESPACE)
    expect(child(info, 'area').namespaceURI).toBe(CAP_NAMESPACE)
    expect(names(root)).toEqual(['identifier', 'sender', 'sent', 'status', 'msgType', 'scope', 'restriction', 'info'])
    expectInOrder(root, ALERT_ORDER)
    expectInOrder(info, INFO_ORDER)
    expectInOrder(area, AREA_ORDER)
    expect(text(root, 'identifier')).toBe('aqi-high~DG-AIR-06~1795399200123')
    expect(text(root, 'sender')).toBe('ioc@dongguan')
    expect(text(root, 'sent')).toBe('2026-11-23T10:00:00+08:00')
    expect(text(root, 'status')).toBe('Actual')
    expect(text(root, 'msgType')).toBe('Alert')
    expect(text(root, 'scope')).toBe('Restricted')
    expect(text(root, 'restriction')).not.toBe('')
    expect(text(info, 'language')).toBe('zh-CN')
    expect(kids(info).filter(k => k.localName === 'category').map(k => k.textContent)).toEqual(['Env', 'Health'])
    expect(text(info, 'event')).toBe('AQI 超过 150 持续 20 分钟')
    expect([text(info, 'urgency'), text(info, 'severity'), text(info, 'certainty')]).toEqual(['Expected', 'Severe', 'Observed'])
    expect(text(info, 'senderName')).toBe('东莞市城市运行管理中心')
    expect(text(info, 'headline')).toBe('站点中度污染：莞城 AQI 162')
    expect(text(info, 'description')).toContain('当前值：162')
    expect(text(info, 'description')).toContain('触发时间：2026-11-23 10:00:00（北京时间）')
    expect(parameters(info)).toMatchObject({ alertId: 'aqi-high|DG-AIR-06|1795399200123', ruleId: 'aqi-high', value: '162', groupKey: 'town:441900006' })
  })

  it('escapes markup in every text, drops characters XML cannot carry, and the parser gives the text back', () => {
    const title = 'a <b>&"\'</b> c \u0007 ]]> 沙田'
    const { info, xml } = capOf(firing({ title, entityId: 'x&y<z>' }), { ruleName: 'R & "D"', web: 'https://ioc.example/alerts?id=1&x=<2>' })
    expect(text(info, 'headline')).toBe('a <b>&"\'</b> c  ]]> 沙田')
    expect(text(info, 'event')).toBe('R & "D"')
    expect(text(info, 'web')).toBe('https://ioc.example/alerts?id=1&x=<2>')
    expect(parameters(info).entityId).toBe('x&y<z>')
    expect(xml).toContain('<headline>a &lt;b&gt;&amp;&quot;&apos;&lt;/b&gt; c  ]]&gt; 沙田</headline>')
    expect(xml).not.toContain('\u0007')
  })

  it('sanity: the test parser does refuse a document that is not well-formed', () => {
    expect(() => parse('<alert><headline>a & b</headline></alert>')).toThrow()
    expect(() => parse('<alert><headline>a</alert>')).toThrow()
    expect(() => parse('<alert><headline>a \u0007</headline></alert>')).toThrow()
    expect(() => parse('<alert><headline a="<">a</headline></alert>')).toThrow()
  })

  it('makes an acknowledged alert an Update that references the first message, with its own identifier', () => {
    const ack = firing({ status: 'acknowledged', acknowledgedBy: 'duty1', acknowledgedAt: '2026-11-23T02:05:30Z', updatedAt: '2026-11-23T02:05:30.500Z', workOrderId: 'GJ-20261123-0001' })
    const { root, info } = capOf(ack)
    expectInOrder(root, ALERT_ORDER)
    expect(text(root, 'msgType')).toBe('Update')
    expect(text(root, 'sent')).toBe('2026-11-23T10:05:30+08:00')
    expect(text(root, 'references')).toBe('ioc@dongguan,aqi-high~DG-AIR-06~1795399200123,2026-11-23T10:00:00+08:00')
    expect(text(root, 'identifier')).not.toBe('aqi-high~DG-AIR-06~1795399200123')
    expect(text(root, 'identifier')).toMatch(/^aqi-high~DG-AIR-06~1795399200123\.update\.\d+$/)
    expect(text(root, 'note')).toBe('已由 duty1 于 2026-11-23 10:05:30 确认；已转工单 GJ-20261123-0001')
    expect(parameters(info)).toMatchObject({ acknowledgedBy: 'duty1', workOrderId: 'GJ-20261123-0001', status: 'acknowledged' })
  })

  it('makes an escalated alert an Update, and two updates of one alert get two identifiers', () => {
    const escalated = firing({ severity: 'critical', escalationLevel: 1, updatedAt: '2026-11-23T02:15:00Z' })
    const acked = { ...escalated, status: 'acknowledged' as const, acknowledgedBy: 'duty1', acknowledgedAt: '2026-11-23T02:20:00Z', updatedAt: '2026-11-23T02:20:00Z' }
    const a = capOf(escalated).root
    const b = capOf(acked).root
    expect(text(a, 'msgType')).toBe('Update')
    expect(text(a, 'note')).toContain('已升级（第 1 级）')
    expect(text(child(a, 'info'), 'urgency')).toBe('Immediate')
    expect(text(child(a, 'info'), 'severity')).toBe('Extreme')
    expect(text(a, 'identifier')).not.toBe(text(b, 'identifier'))
    expect(text(a, 'references')).toBe(text(b, 'references'))
  })

  it('makes a resolved alert a Cancel sent at its resolution, urgency Past, all clear', () => {
    const { root, info } = capOf(firing({ status: 'resolved', resolvedAt: '2026-11-23T03:00:00Z', updatedAt: '2026-11-23T03:00:00Z' }))
    expectInOrder(root, ALERT_ORDER)
    expect(text(root, 'msgType')).toBe('Cancel')
    expect(text(root, 'sent')).toBe('2026-11-23T11:00:00+08:00')
    expect(text(root, 'references')).toBe('ioc@dongguan,aqi-high~DG-AIR-06~1795399200123,2026-11-23T10:00:00+08:00')
    expect(text(root, 'note')).toBe('已于 2026-11-23 11:00:00 解除')
    expect(text(info, 'urgency')).toBe('Past')
    expect(text(info, 'responseType')).toBe('AllClear')
  })

  it('maps our severities and domains onto the CAP lists', () => {
    const severities: [AlertSeverity, string, string][] = [['critical', 'Extreme', 'Immediate'], ['major', 'Severe', 'Expected'], ['warning', 'Moderate', 'Expected'], ['info', 'Minor', 'Future']]
    for (const [severity, capSeverity, urgency] of severities) {
      const { info } = capOf(firing({ severity }))
      expect([text(info, 'severity'), text(info, 'urgency')]).toEqual([capSeverity, urgency])
    }
    const domains: [AlertDomain, string[]][] = [['air', ['Env', 'Health']], ['traffic', ['Transport']], ['halls', ['Other']], ['hotline', ['Safety']], ['feeds', ['Infra']], ['cross', ['Other']]]
    for (const [domain, categories] of domains) {
      const { info } = capOf(firing({ domain }))
      expect(kids(info).filter(k => k.localName === 'category').map(k => k.textContent)).toEqual(categories)
    }
  })

  it('says Likely for what is inferred (anomaly, cluster, correlation) and Observed for what is measured', () => {
    expect(text(capOf(firing(), { ruleKind: 'anomaly' }).info, 'certainty')).toBe('Likely')
    expect(text(capOf(firing(), { ruleKind: 'cluster' }).info, 'certainty')).toBe('Likely')
    expect(text(capOf(firing({ domain: 'cross' }), { ruleKind: undefined }).info, 'certainty')).toBe('Likely')
    expect(text(capOf(firing(), { ruleKind: 'absence' }).info, 'certainty')).toBe('Observed')
    expect(text(capOf(firing(), { ruleName: undefined }).info, 'event')).toBe('aqi-high')
  })

  it('places the alert in its town: name, a circle around the centre, GB/T 2260 and town codes', () => {
    const { area } = capOf(firing())
    expect(text(area, 'areaDesc')).toBe('莞城街道')
    const circle = /^(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(text(area, 'circle'))
    expect(circle?.slice(1, 3).map(Number)).toEqual([23.045, 113.752])
    expect(Number(circle?.[3])).toBeGreaterThanOrEqual(1)
    expect(Number(circle?.[3])).toBeLessThan(20)
    const codes = kids(area).filter(k => k.localName === 'geocode').map(g => [text(g, 'valueName'), text(g, 'value')])
    expect(codes).toEqual([['GB/T 2260', '441900'], ['GB/T 10114', '441900006']])
  })

  it('places an alert of no town (or of a town the city does not know) in the city', () => {
    for (const townCode of [null, '441900999']) {
      const { area } = capOf(firing({ townCode }))
      expect(names(area)).toEqual(['areaDesc', 'geocode'])
      expect(text(area, 'areaDesc')).toBe('东莞市')
      expect(text(child(area, 'geocode'), 'value')).toBe('441900')
    }
  })

  it('gives a district of a city with 6-digit codes one GB/T 2260 geocode', () => {
    const xml = alertToCap(firing({ townCode: '440703', groupKey: 'town:440703' }), jiangmen)
    const area = child(child(parse(xml).documentElement, 'info'), 'area')
    expect(text(area, 'areaDesc')).toBe('蓬江区')
    expect(kids(area).filter(k => k.localName === 'geocode').map(g => text(g, 'value'))).toEqual(['440703'])
    expect(text(parse(xml).documentElement, 'sender')).toBe('ioc@jiangmen')
  })

  it('renders the same document for the same alert state (any node of a cluster)', () => {
    const alert = firing({ status: 'acknowledged', acknowledgedBy: 'duty1', acknowledgedAt: '2026-11-23T02:05:00Z', updatedAt: '2026-11-23T02:05:00Z' })
    expect(alertToCap(alert, dongguan)).toBe(alertToCap(structuredClone(alert), capContext(loadCity('dongguan'))))
  })
})
