/**
 * The server compiled into one ES module by esbuild: for `npm start`
 * (server/launch.mjs) and for the benchmark's server child.
 */
import { build } from 'esbuild'
import { fileURLToPath } from 'node:url'

/** @param {string} entry @param {string} outfile @returns {Promise<void>} */
export async function bundleServer(entry, outfile) {
  await build({
    entryPoints: [entry],
    // Keep it one folder below the root, as server/*.ts are: paths relative to import.meta.url then hold.
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: true,
    // Native addons (better-sqlite3, argon2), optional native helpers absent here, and vite (loaded only to build the client).
    external: ['better-sqlite3', '@node-rs/argon2', 'pg-native', 'bufferutil', 'utf-8-validate', 'vite'],
    // Bundled CommonJS packages call require() for Node's own modules.
    banner: { js: 'import { createRequire as createRequireForBundle } from \'node:module\'; const require = createRequireForBundle(import.meta.url);' },
    tsconfig: fileURLToPath(new URL('../tsconfig.server.json', import.meta.url)),
    logLevel: 'error',
  })
}
