/**
 * Where heap growth is: two V8 heap snapshots (CDP HeapProfiler) summed by
 * what DevTools' summary view groups by (constructor or kind, detached DOM
 * apart), and the groups that grew most between them.
 */
import type { CDPSession } from 'playwright-core'

interface RawSnapshot {
  snapshot: { meta: { node_fields: string[], node_types: [string[], ...unknown[]] } }
  nodes: number[]
  strings: string[]
}

export interface HeapGroup { name: string, count: number, bytes: number }
export interface HeapGrowth { name: string, count: number, bytes: number }

/** DevTools' detachedness value for a DOM node no longer in the document. */
const DETACHED = 2

/** Self sizes summed by constructor (objects), or by kind (strings, closures, compiled code, arrays' backing stores). */
export function summarise(raw: RawSnapshot): Map<string, HeapGroup> {
  const fields = raw.snapshot.meta.node_fields
  const types = raw.snapshot.meta.node_types[0]
  const width = fields.length
  const at = (name: string): number => fields.indexOf(name)
  const [TYPE, NAME, SIZE, DETACHEDNESS] = [at('type'), at('name'), at('self_size'), at('detachedness')]
  const groups = new Map<string, HeapGroup>()
  for (let i = 0; i < raw.nodes.length; i += width) {
    const type = types[raw.nodes[i + TYPE] as number] ?? '?'
    const name = raw.strings[raw.nodes[i + NAME] as number] ?? '?'
    const size = raw.nodes[i + SIZE] as number
    let key: string
    switch (type) {
      case 'object':
      case 'native':
        key = DETACHEDNESS >= 0 && raw.nodes[i + DETACHEDNESS] === DETACHED ? `Detached ${name}` : name
        break
      case 'string':
      case 'concatenated string':
      case 'sliced string':
        key = '(string)'
        break
      case 'array':
      case 'hidden':
        key = `(${type}) ${name}`
        break
      default:
        key = `(${type})`
    }
    const group = groups.get(key) ?? { name: key, count: 0, bytes: 0 }
    group.count++
    group.bytes += size
    groups.set(key, group)
  }
  return groups
}

/** Takes a snapshot of the page's heap (after V8's own GC, which the snapshot forces) and summarises it. */
export async function heapSummary(cdp: CDPSession): Promise<Map<string, HeapGroup>> {
  const chunks: string[] = []
  const onChunk = ({ chunk }: { chunk: string }): void => {
    chunks.push(chunk)
  }
  cdp.on('HeapProfiler.addHeapSnapshotChunk', onChunk)
  try {
    await cdp.send('HeapProfiler.enable')
    await cdp.send('HeapProfiler.takeHeapSnapshot', { reportProgress: false })
  }
  finally {
    cdp.off('HeapProfiler.addHeapSnapshotChunk', onChunk)
  }
  return summarise(JSON.parse(chunks.join('')) as RawSnapshot)
}

/** The groups that grew most (bytes), largest first. */
export function growth(before: ReadonlyMap<string, HeapGroup>, after: ReadonlyMap<string, HeapGroup>, limit = 10): HeapGrowth[] {
  const names = new Set([...before.keys(), ...after.keys()])
  return [...names]
    .map(name => ({
      name,
      count: (after.get(name)?.count ?? 0) - (before.get(name)?.count ?? 0),
      bytes: (after.get(name)?.bytes ?? 0) - (before.get(name)?.bytes ?? 0),
    }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, limit)
}

/**
 * What is not the page's own data: V8's compiled code (it grows while the JIT
 * warms up and is flushed again), the browser's bounded performance-timeline
 * buffers (the benchmark's LoAF observer and the operator keys' event
 * timing), and what DevTools' Network domain (the frame tally) keeps.
 */
export const NOT_PAGE_DATA = /^\(code\)$|^Performance\w*Timing$|^blink::ScriptTimingInfo$|^blink::NetworkResourcesData/

/** Bytes the page's own data grew by: the total without the groups `exclude` names. */
export function growthExcluding(before: ReadonlyMap<string, HeapGroup>, after: ReadonlyMap<string, HeapGroup>, exclude: RegExp): number {
  const sum = (groups: ReadonlyMap<string, HeapGroup>): number => [...groups.values()].filter(g => !exclude.test(g.name)).reduce((n, g) => n + g.bytes, 0)
  return sum(after) - sum(before)
}
