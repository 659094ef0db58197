/** The newest modification time under a path (0 when absent), test files left out (server/source-mtime.mjs). */
export function newestMtime(path: string): number
