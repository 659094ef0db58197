import type { Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001-air'
import * as m0002 from './0002-feeds'
import * as m0003 from './0003-minute-rollups'
import * as m0004 from './0004-auth'
import * as m0005 from './0005-wall-layouts'
import * as m0006 from './0006-incident-intake'
import * as m0007 from './0007-alerts'
import * as m0008 from './0008-work-orders'
import * as m0009 from './0009-review'
import * as m0010 from './0010-drills'
import * as m0011 from './0011-review-spans'

/** Every migration, in order. Names sort as they run; never rename one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-air': m0001,
  '0002-feeds': m0002,
  '0003-minute-rollups': m0003,
  '0004-auth': m0004,
  '0005-wall-layouts': m0005,
  '0006-incident-intake': m0006,
  '0007-alerts': m0007,
  '0008-work-orders': m0008,
  '0009-review': m0009,
  '0010-drills': m0010,
  '0011-review-spans': m0011,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
}
