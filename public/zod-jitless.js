// The page's CSP has no 'unsafe-eval' (server/http/security-headers.ts). zod decides when each object
// schema is built whether to compile a fast parser with `new Function`, probing for it first — which
// Chromium refuses and reports as a violation. zod reads its settings from this global; a classic
// script runs before every module, so the setting is there before the first schema is built.
globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig ?? {}, { jitless: true })
