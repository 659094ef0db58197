import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

/**
 * Features of Vue and vue-i18n the client does not use, switched off at build
 * time so the minifier drops their code: every component is a <script setup>
 * (no Options API), text goes through useI18n() in composition mode (no legacy
 * API, no <i18n-t> or v-t), and no devtools in production. The message
 * compiler stays: messages are plain objects compiled at run time without
 * eval (JIT), which the CSP requires.
 */
const COMPILE_TIME_FLAGS = {
  __VUE_OPTIONS_API__: 'false',
  __VUE_PROD_DEVTOOLS__: 'false',
  __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
  __VUE_I18N_LEGACY_API__: 'false',
  __VUE_I18N_FULL_INSTALL__: 'false',
  __INTLIFY_PROD_DEVTOOLS__: 'false',
  __INTLIFY_JIT_COMPILATION__: 'true',
  __INTLIFY_DROP_MESSAGE_COMPILER__: 'false',
}

const vendor = (...packages: string[]): RegExp => new RegExp(`[\\\\/]node_modules[\\\\/](?:${packages.join('|')})[\\\\/]`)
/** Third-party code by what changes together; anything else is split where rolldown sees fit. */
const VENDOR_CHUNKS = [
  { name: 'maplibre', test: vendor('maplibre-gl') },
  { name: 'echarts', test: vendor('echarts', 'zrender', 'tslib') },
  { name: 'vue', test: vendor('vue', '@vue', 'vue-router', 'pinia', 'vue-i18n', '@intlify') },
  { name: 'socket', test: vendor('socket\\.io-client', 'socket\\.io-parser', 'socket\\.io-msgpack-parser', 'engine\\.io-client', 'engine\\.io-parser', 'notepack\\.io', '@socket\\.io', 'component-emitter', 'debug', 'ms') },
  { name: 'zod', test: vendor('zod') },
]

/** The dev server proxies these to the running API server (`npm run dev`). */
const API_TARGET = process.env.IOC_DEV_API ?? 'http://localhost:3000'

export default defineConfig({
  root: here('./client'),
  publicDir: here('./public'),
  plugins: [vue()],
  resolve: {
    alias: {
      '@shared': here('./shared'),
      '@client': here('./client'),
      '@server': here('./server'),
    },
  },
  define: COMPILE_TIME_FLAGS,
  build: {
    outDir: here('./dist/client'),
    emptyOutDir: true,
    // MapLibre alone is 1.1 MB minified (one prebuilt module); it is loaded once and cached.
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Libraries in chunks of their own: a release that changes only our code keeps their file names, so walls keep their cached copies,
        // and the benchmark (bench/wall/bundle.ts) reads each library's size off its chunk.
        codeSplitting: { groups: VENDOR_CHUNKS },
      },
    },
  },
  server: {
    proxy: {
      '/api': API_TARGET,
      '/socket.io': { target: API_TARGET, ws: true },
    },
  },
  test: {
    root: here('.'),
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['tests/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One Chromium and one server at a time: this is a 2-core machine.
          fileParallelism: false,
        },
      },
    ],
  },
})
