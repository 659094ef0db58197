import { describe, expect, it } from 'vitest'
import { growth, growthExcluding, NOT_PAGE_DATA, summarise } from './heap-snapshot'

/** A heap snapshot in V8's format: nodes as flat rows of node_fields. */
function snapshot(rows: [type: number, name: string, size: number, detachedness: number][]): Parameters<typeof summarise>[0] {
  const strings: string[] = []
  const id = (s: string): number => {
    const at = strings.indexOf(s)
    return at >= 0 ? at : strings.push(s) - 1
  }
  return {
    snapshot: { meta: { node_fields: ['type', 'name', 'id', 'self_size', 'edge_count', 'trace_node_id', 'detachedness'], node_types: [['hidden', 'array', 'string', 'object', 'code', 'closure', 'regexp', 'number', 'native', 'synthetic', 'concatenated string', 'sliced string']] } },
    nodes: rows.flatMap(([type, name, size, detachedness], i) => [type, id(name), i + 1, size, 0, 0, detachedness]),
    strings,
  }
}

describe('heap snapshot summaries', () => {
  const before = summarise(snapshot([[3, 'Map', 100, 0], [2, 'abc', 20, 0], [5, 'onTick', 32, 0], [8, 'HTMLDivElement', 80, 1]]))
  const after = summarise(snapshot([[3, 'Map', 100, 0], [3, 'Map', 150, 0], [2, 'abc', 20, 0], [10, 'x', 40, 0], [5, 'onTick', 32, 0], [5, 'onTick', 32, 0], [8, 'HTMLDivElement', 80, 2], [1, '(object elements)', 64, 0]]))

  it('groups objects by constructor, strings and closures by kind, and detached DOM apart', () => {
    expect(after.get('Map')).toEqual({ name: 'Map', count: 2, bytes: 250 })
    expect(after.get('(string)')).toEqual({ name: '(string)', count: 2, bytes: 60 })
    expect(after.get('(closure)')?.count).toBe(2)
    expect(after.get('Detached HTMLDivElement')?.bytes).toBe(80)
    expect(after.get('(array) (object elements)')?.bytes).toBe(64)
  })

  it('lists what grew, most first', () => {
    const grew = growth(before, after, 3)
    expect(grew[0]).toEqual({ name: 'Map', count: 1, bytes: 150 })
    expect(grew.map(g => g.name)).toContain('Detached HTMLDivElement')
  })
})

describe('the page data growth', () => {
  it('leaves out compiled code, timeline buffers and DevTools records', () => {
    const before = summarise(snapshot([[3, 'Map', 100, 0], [4, 'x', 1000, 0]]))
    const after = summarise(snapshot([[3, 'Map', 130, 0], [4, 'x', 5000, 0], [8, 'PerformanceScriptTiming', 64, 0], [8, 'blink::NetworkResourcesData::ResourceData', 40, 0]]))
    expect(growthExcluding(before, after, NOT_PAGE_DATA)).toBe(30)
  })
})
