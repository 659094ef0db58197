/** Compiles `entry` and all it imports into the ES module `outfile` (server/bundle.mjs). */
export function bundleServer(entry: string, outfile: string): Promise<void>
