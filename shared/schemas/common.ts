import { z } from 'zod'

/** An ISO 8601 instant with an explicit offset, as every feed must send it. */
export const Instant = z.iso.datetime({ offset: true })

/** An identifier as upstream systems send it: short and printable. */
export const EntityId = z.string().min(1).max(64).regex(/^[\w.:-]+$/, 'letters, digits and _ . : - only')

/** A position in WGS-84, the only coordinate system inside the system. */
export const LngLat = z.strictObject({
  lng: z.number().min(-180).max(180),
  lat: z.number().min(-90).max(90),
})
export type LngLat = z.infer<typeof LngLat>

/** A town code: the 9-digit NBS township code, or a 6-digit county-level code where districts are the units. */
export const TownCode = z.string().regex(/^\d{6}(?:\d{3})?$/, '6 or 9 digits')
