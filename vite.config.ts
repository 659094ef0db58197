import { fileURLToPath } from 'node:url'
import vue from '@vitejs/plugin-vue'
import { defineConfig } from 'vitest/config'

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url))

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
  build: {
    outDir: here('./dist/client'),
    emptyOutDir: true,
    // The wall view carries MapLibre (~1 MB) and ECharts; it is loaded once and cached.
    chunkSizeWarningLimit: 2000,
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
          include: ['shared/**/*.test.ts', 'server/**/*.test.ts', 'client/**/*.test.ts'],
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
