import { describe, expect, it } from 'vitest'
import type { Rolldown } from 'vite'
import { chunkSizes, initialJs, packageOf, packagesOver } from './bundle'

type Chunk = Rolldown.OutputChunk

/** The fields of a rolldown output chunk the size report reads. */
function chunk(fileName: string, role: { entry?: boolean, dynamic?: boolean, facade?: string }, imports: string[], modules: Record<string, string>): Chunk {
  return {
    type: 'chunk',
    fileName,
    isEntry: role.entry ?? false,
    isDynamicEntry: role.dynamic ?? false,
    facadeModuleId: role.facade ?? null,
    imports,
    dynamicImports: [],
    modules: Object.fromEntries(Object.entries(modules).map(([id, code]) => [id, { code, renderedLength: code.length, renderedExports: [] }])),
    code: Object.values(modules).join('\n'),
  } as unknown as Chunk
}

describe('packageOf', () => {
  it('names the npm package of a module, folding @vue/* into vue, and calls our sources app', () => {
    expect(packageOf('/w/node_modules/maplibre-gl/dist/maplibre-gl.mjs')).toBe('maplibre-gl')
    expect(packageOf('/w/node_modules/@vue/runtime-core/dist/x.js')).toBe('vue')
    expect(packageOf('/w/node_modules/@intlify/core-base/dist/x.js')).toBe('@intlify/core-base')
    expect(packageOf('/w/node_modules/.pnpm/a/node_modules/zod/v4/core.js')).toBe('zod')
    expect(packageOf('/w/client/views/WallView.vue')).toBe('app')
    expect(packageOf('\0rolldown/runtime.js')).toBe('bundler runtime')
  })
})

describe('initialJs', () => {
  const lib = 'x'.repeat(4000)
  const chunks = [
    chunk('assets/index.js', { entry: true }, ['assets/vue.js'], { '/w/client/main.ts': 'main()' }),
    chunk('assets/vue.js', {}, [], { '/w/node_modules/vue/index.js': lib }),
    chunk('assets/WallView.js', { dynamic: true, facade: '/w/client/views/WallView.vue' }, ['assets/vue.js', 'assets/maplibre.js'], { '/w/client/views/WallView.vue': 'wall()' }),
    chunk('assets/maplibre.js', {}, [], { '/w/node_modules/maplibre-gl/dist/maplibre-gl.mjs': lib }),
    chunk('assets/echarts.js', {}, [], { '/w/node_modules/echarts/core.js': lib }),
    chunk('assets/UsersView.js', { dynamic: true, facade: '/w/client/views/admin/UsersView.vue' }, ['assets/vue.js'], { '/w/client/views/admin/UsersView.vue': 'users()' }),
  ]
  const sizes = chunkSizes(chunks)

  it('is the entry, the route chunk and what they import statically, nothing loaded later', () => {
    const initial = initialJs(chunks, sizes, 'views/WallView.vue')
    expect(new Set(initial.files)).toEqual(new Set(['assets/index.js', 'assets/vue.js', 'assets/WallView.js', 'assets/maplibre.js']))
    const gzip = sizes.filter(s => initial.files.includes(s.file)).reduce((n, s) => n + s.gzip, 0)
    expect(initial.gzip).toBe(gzip)
  })

  it('attributes each chunk to its packages', () => {
    const initial = initialJs(chunks, sizes, 'views/WallView.vue')
    const names = packagesOver(sizes, new Set(initial.files)).map(p => p.name)
    expect(names).toEqual(expect.arrayContaining(['vue', 'maplibre-gl', 'app']))
    expect(names).not.toContain('echarts')
  })

  it('refuses a build without the route', () => {
    expect(() => initialJs(chunks, sizes, 'views/NoSuchView.vue')).toThrow(/NoSuchView/)
  })
})
