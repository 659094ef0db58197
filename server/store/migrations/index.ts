import type { Migration, MigrationProvider } from 'kysely'
import * as m0001 from './0001-air'
import * as m0002 from './0002-feeds'
import * as m0003 from './0003-minute-rollups'
import * as m0004 from './0004-auth'

/** Every migration, in order. Names sort as they run; never rename one that has shipped. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-air': m0001,
  '0002-feeds': m0002,
  '0003-minute-rollups': m0003,
  '0004-auth': m0004,
}

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
}
