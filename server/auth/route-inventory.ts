import type express from 'express'
import type { Access, Guard } from './guard'

/** One registered route: its method, its full path, and the access its guard enforces (null: no guard). */
export interface RouteEntry { method: string, path: string, access: Access | null }

/** express 5's router layers, as far as the inventory reads them. */
interface Layer {
  route?: { path: string, methods: Record<string, boolean>, stack: { handle: Partial<Guard> }[] }
  handle?: { stack?: Layer[] }
  rawPath?: string
}

/**
 * Every route the app has registered, read from express at run time (not
 * from a list kept by hand): the policy test fails on any route whose first
 * handler is not a guard.
 */
export function routeInventory(app: express.Express): RouteEntry[] {
  const routes: RouteEntry[] = []
  const walk = (stack: readonly Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        const access = layer.route.stack[0]?.handle.access ?? null
        for (const method of Object.keys(layer.route.methods))
          routes.push({ method: method.toUpperCase(), path: `${prefix}${layer.route.path}`, access })
      }
      else if (layer.handle?.stack) {
        // A router mounted without a path has rawPath '/'.
        walk(layer.handle.stack, `${prefix}${(layer.rawPath ?? '').replace(/\/$/, '')}`)
      }
    }
  }
  walk((app as unknown as { router: { stack: Layer[] } }).router.stack, '')
  return routes
}
