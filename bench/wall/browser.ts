/**
 * Headless Chromium as performance.md §8.2 asks for it (SwiftShader WebGL,
 * precise memory, no background throttling, 1920×1080 at DPR 1), pinned to
 * its own CPU when taskset exists, and the CDP readings the wall benchmark
 * takes from it: metrics after a forced GC, the renderer's memory, the
 * socket frames the page receives.
 */
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { chromium } from 'playwright-core'
import type { Browser, CDPSession, Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** performance.md §7–8.2 C-1…C-6: software WebGL, exact heap figures, and a page that is never treated as hidden. */
export const BENCH_CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
  '--enable-precise-memory-info',
  '--disable-renderer-backgrounding',
  '--disable-background-timer-throttling',
  '--disable-backgrounding-occluded-windows',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
]

export const VIEWPORT = { width: 1920, height: 1080 }

export interface BenchBrowser {
  browser: Browser
  version: string
  /** The CPU Chromium's processes are pinned to, or null. */
  cpu: number | null
  /** Resident memory of Chromium's processes by type (browser, renderer, gpu-process, utility…), bytes. */
  memory: () => Record<string, number>
  /** CPU time Chromium's processes have used so far (user + system), clock ticks of /proc (USER_HZ). */
  cpuTicks: () => number
  close: () => Promise<void>
}

/**
 * Launches Chromium, through a `taskset -c <cpu>` wrapper when asked: every
 * process it forks (zygote, renderers, GPU) inherits the affinity.
 */
export async function launchBrowser(options: { cpu: number | null }): Promise<BenchBrowser> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-bench-chromium-'))
  let executablePath = CHROMIUM_PATH
  if (options.cpu !== null) {
    executablePath = join(dir, 'chromium-pinned')
    writeFileSync(executablePath, `#!/bin/sh\nexec taskset -c ${options.cpu} ${CHROMIUM_PATH} "$@"\n`)
    chmodSync(executablePath, 0o755)
  }
  // A switch Chromium ignores, to find this browser's process among others' (other benchmarks, tests).
  const tag = `--ioc-bench-run=${randomBytes(6).toString('hex')}`
  const browser = await chromium.launch({ executablePath, args: [...BENCH_CHROMIUM_FLAGS, tag] })
  return {
    browser,
    version: browser.version(),
    cpu: options.cpu,
    memory: () => chromiumTree(tag).rss,
    cpuTicks: () => chromiumTree(tag).cpuTicks,
    close: async () => {
      await browser.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

interface ProcInfo { pid: number, ppid: number, cmdline: string, rss: number, cpuTicks: number }

function processes(): ProcInfo[] {
  const out: ProcInfo[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name))
      continue
    try {
      const status = readFileSync(`/proc/${name}/status`, 'utf8')
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ')
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0)
      const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0)
      // /proc/<pid>/stat: the command may hold spaces, so count fields after its closing parenthesis (utime, stime are 14 and 15).
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const cpuTicks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0)
      out.push({ pid: Number(name), ppid, cmdline, rss: rssKb * 1024, cpuTicks })
    }
    catch {
      // The process ended while it was read.
    }
  }
  return out
}

/** RSS of the tagged browser and all its descendants, summed by `--type=`, and their CPU time. */
function chromiumTree(tag: string): { rss: Record<string, number>, cpuTicks: number } {
  const all = processes()
  const root = all.find(p => p.cmdline.includes(tag) && !p.cmdline.includes('--type='))
  if (!root)
    return { rss: {}, cpuTicks: 0 }
  const children = new Map<number, ProcInfo[]>()
  for (const p of all)
    children.set(p.ppid, [...(children.get(p.ppid) ?? []), p])
  const rss: Record<string, number> = {}
  let cpuTicks = 0
  const visit = (p: ProcInfo): void => {
    const type = /--type=(\S+)/.exec(p.cmdline)?.[1] ?? 'browser'
    rss[type] = (rss[type] ?? 0) + p.rss
    cpuTicks += p.cpuTicks
    for (const c of children.get(p.pid) ?? [])
      visit(c)
  }
  visit(root)
  return { rss, cpuTicks }
}

/** The WebGL renderer Chromium gives pages: it must be SwiftShader, not "disabled" (performance.md §7). */
export async function webglRenderer(page: Page): Promise<string> {
  return page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl')
    if (!gl)
      return 'no WebGL'
    const info = gl.getExtension('WEBGL_debug_renderer_info')
    return String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER))
  })
}

export interface PageMemory {
  /** Performance.getMetrics after a forced GC. */
  jsHeapUsed: number
  jsHeapTotal: number
  nodes: number
  jsEventListeners: number
  documents: number
  /** Runtime.getHeapUsage: V8's own figures (embedder: Blink's wrappers and DOM). */
  heapUsed: number
  embedderHeapUsed: number
  backingStorage: number
}

export async function metrics(cdp: CDPSession): Promise<Record<string, number>> {
  const { metrics: list } = await cdp.send('Performance.getMetrics')
  return Object.fromEntries(list.map(m => [m.name, m.value]))
}

/** Collects garbage (twice: a first pass frees what finalisers of the second release), then reads the heap. */
export async function memoryAfterGc(cdp: CDPSession): Promise<PageMemory> {
  await cdp.send('HeapProfiler.collectGarbage')
  await cdp.send('HeapProfiler.collectGarbage')
  const m = await metrics(cdp)
  const usage = await cdp.send('Runtime.getHeapUsage')
  return {
    jsHeapUsed: m.JSHeapUsedSize ?? Number.NaN,
    jsHeapTotal: m.JSHeapTotalSize ?? Number.NaN,
    nodes: m.Nodes ?? Number.NaN,
    jsEventListeners: m.JSEventListeners ?? Number.NaN,
    documents: m.Documents ?? Number.NaN,
    heapUsed: usage.usedSize,
    embedderHeapUsed: usage.embedderHeapUsedSize ?? Number.NaN,
    backingStorage: usage.backingStorageSize ?? Number.NaN,
  }
}
