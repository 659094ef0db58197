/**
 * reliability.md §6.1 C1 and §6.5 A1, the PR variant: 100 dispatch actions
 * (25 orders taken through dispatch → sign → reply → revisit) sent to a
 * server child that is SIGKILLed 3 times at random moments and once more
 * after the last acknowledgement, each action retried under its own
 * commandId until a 200. Afterwards nothing acknowledged is missing, nothing
 * took effect twice, every order is closed, the database is sound and the
 * audit chain verifies. On SQLite, and on PostgreSQL (skipped loudly when it
 * is not reachable; with CI set that fails). `npm run bench:crash` runs the
 * full 1,000 actions and 20 kills.
 */
import { describe, expect, it } from 'vitest'
import { PG_TEST_URL, postgresProblem, redacted } from '@server/store/store.backends'
import type { CrashFigures } from './crash.support'
import { runDispatchCrash } from './crash.support'

const ACTIONS = 100
const KILLS = 3
const pgProblem = await postgresProblem(PG_TEST_URL)

function expectConsistent(f: CrashFigures): void {
  const figures = JSON.stringify(f)
  expect(f.acknowledged, figures).toBe(ACTIONS)
  expect(f.lost, figures).toBe(0)
  expect(f.storedCommands, figures).toBe(ACTIONS)
  expect(f.duplicated, figures).toBe(0)
  expect(f.missingEffects, figures).toBe(0)
  expect(f.timelineOk, figures).toBe(f.orders)
  expect(f.notClosed, figures).toBe(0)
  expect(f.wrongAnswers, figures).toBe(0)
  expect(f.auditIncomplete, figures).toBe(0)
  expect(f.chain, figures).toMatchObject({ ok: true })
  expect(f.replayAfterRestart, figures).toBe(true)
  // The kills did hit commands in flight: without that the run proves nothing.
  expect(f.kills, figures).toBe(KILLS + 1)
  expect(f.killsInFlight, figures).toBeGreaterThanOrEqual(1)
  expect(f.cutOff, figures).toBeGreaterThanOrEqual(1)
}

describe('dispatch commands through SIGKILLs (C1, A1)', () => {
  it(`SQLite (WAL, synchronous=FULL): ${ACTIONS} actions, ${KILLS} kills — none lost, none applied twice, all closed, integrity ok, chain whole`, { timeout: 120_000 }, async () => {
    const f = await runDispatchCrash({ backend: 'sqlite', actions: ACTIONS, kills: KILLS })
    expectConsistent(f)
    expect(f.integrity).toBe('ok')
  })

  it(`PostgreSQL: ${ACTIONS} actions, ${KILLS} kills — none lost, none applied twice, all closed, chain whole`, { timeout: 120_000 }, async (ctx) => {
    if (pgProblem !== undefined && !process.env.CI) {
      console.warn(`[dispatch crash] PostgreSQL at ${redacted(PG_TEST_URL)} is not reachable (${pgProblem}): the PostgreSQL run is SKIPPED. Set IOC_TEST_DATABASE_URL; with CI set this fails.`)
      ctx.skip(`PostgreSQL at ${redacted(PG_TEST_URL)} unreachable: ${pgProblem}`)
    }
    expect(pgProblem, `PostgreSQL at ${redacted(PG_TEST_URL)}`).toBeUndefined()
    const f = await runDispatchCrash({ backend: 'postgres', actions: ACTIONS, kills: KILLS, postgresUrl: PG_TEST_URL })
    expectConsistent(f)
  })
})
