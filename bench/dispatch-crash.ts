/**
 * `npm run bench:crash`: reliability.md §6.1 C1 and §6.5 A1 at full size —
 * 1,000 dispatch actions (250 orders through dispatch → sign → reply →
 * revisit), each retried under its own commandId until acknowledged, while
 * the server is SIGKILLed 20 times at random moments and restarted (plus once
 * after the last acknowledgement); on SQLite and on PostgreSQL. Prints the
 * figures the criteria name and the time per action. The run is
 * server/dispatch/crash.support.ts, the same as the PR test's 100/3 variant.
 *
 * BENCH_ACTIONS (1000), BENCH_KILLS (20), BENCH_BACKENDS (sqlite,postgres);
 * PostgreSQL at IOC_TEST_DATABASE_URL (postgres://postgres@127.0.0.1:5432/test).
 */
import { cpus, totalmem } from 'node:os'
import type { CrashFigures, CrashRunOptions } from '@server/dispatch/crash.support'
import { runDispatchCrash } from '@server/dispatch/crash.support'
import { PG_TEST_URL, postgresProblem, redacted } from '@server/store/store.backends'
import { fmt, percentile, table } from './lib'

const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 1000)
const KILLS = Number(process.env.BENCH_KILLS ?? 20)
const BACKENDS = (process.env.BENCH_BACKENDS ?? 'sqlite,postgres').split(',') as Array<CrashRunOptions['backend']>

const yesNo = (ok: boolean): string => (ok ? 'yes' : 'NO')

/** One row per figure, one column per backend; the criterion beside it. */
function report(runs: CrashFigures[]): string {
  const rows: Array<[string, string, (f: CrashFigures) => string]> = [
    ['acknowledged actions', `= ${fmt(ACTIONS)}`, f => fmt(f.acknowledged)],
    ['lost (acknowledged, not stored)', '0', f => fmt(f.lost)],
    ['commands stored for the orders', `= ${fmt(ACTIONS)}`, f => fmt(f.storedCommands)],
    ['duplicated (effect > 1)', '0', f => fmt(f.duplicated)],
    ['missing effects (no timeline/audit)', '0', f => fmt(f.missingEffects)],
    ['timelines = create + 4 actions', '= orders', f => `${fmt(f.timelineOk)} / ${fmt(f.orders)}`],
    ['orders not closed', '0', f => fmt(f.notClosed)],
    ['wrong answers (state, version)', '0', f => fmt(f.wrongAnswers)],
    ['PRAGMA integrity_check', 'ok', f => f.integrity],
    ['audit chain verifies', 'yes', f => `${yesNo(f.chain.ok)} (${fmt(f.chain.checked)} entries)${f.chain.problem ? ` ${f.chain.problem}` : ''}`],
    ['audit entries incomplete (A1)', '0', f => fmt(f.auditIncomplete)],
    ['refused attempts audited', '—', f => fmt(f.refusedAudited)],
    ['replayed answers (retries that hit)', '> 0', f => fmt(f.replays)],
    ['requests sent / refused (down) / cut off', '—', f => `${fmt(f.attempts)} / ${fmt(f.refused)} / ${fmt(f.cutOff)}`],
    ['other statuses', '—', f => (Object.keys(f.statuses).length === 0 ? 'none' : Object.entries(f.statuses).map(([s, n]) => `${s}×${n}`).join(' '))],
    ['kills (last after the final ack) / in flight', `${KILLS + 1}`, f => `${fmt(f.kills)} / ${fmt(f.killsInFlight)}`],
    ['kill → healthy, median / max (ms)', '—', f => `${fmt(percentile(f.restartMs, 50))} / ${fmt(Math.max(...f.restartMs))}`],
    ['replay after the final restart', 'yes', f => yesNo(f.replayAfterRestart)],
    ['time per action, all in (ms)', '—', f => fmt(f.sendMs / f.actions, 1)],
    ['time per action, downtime out (ms)', '—', f => fmt((f.sendMs - f.restartMs.reduce((a, b) => a + b, 0)) / f.actions, 1)],
  ]
  return table(['figure', 'criterion', ...runs.map(r => r.backend)], rows.map(([name, criterion, value]) => [name, criterion, ...runs.map(value)]))
}

async function main(): Promise<void> {
  console.log(`Machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${fmt(totalmem() / 2 ** 30, 1)} GiB; Node ${process.version}`)
  console.log(`C1: ${fmt(ACTIONS)} dispatch actions (${fmt(ACTIONS / 4)} orders, 4 lanes), ${KILLS} SIGKILLs at random moments + 1 after the last acknowledgement; restart after a pause of 0–300 ms\n`)
  const runs: CrashFigures[] = []
  for (const backend of BACKENDS) {
    if (backend === 'postgres') {
      const problem = await postgresProblem(PG_TEST_URL)
      if (problem) {
        console.log(`postgres: SKIPPED, PostgreSQL at ${redacted(PG_TEST_URL)} is not reachable (${problem})`)
        continue
      }
    }
    console.error(`${backend}: running…`)
    const started = performance.now()
    runs.push(await runDispatchCrash({ backend, actions: ACTIONS, kills: KILLS, postgresUrl: PG_TEST_URL, log: line => console.error(line) }))
    console.error(`${backend}: done in ${fmt((performance.now() - started) / 1000, 1)} s`)
  }
  console.log(report(runs))
  const failed = runs.filter(f => f.acknowledged !== ACTIONS || f.lost > 0 || f.duplicated > 0 || f.missingEffects > 0 || f.notClosed > 0 || !f.chain.ok || (f.integrity !== 'ok' && f.integrity !== 'n/a'))
  if (failed.length > 0) {
    console.log(`\nFAILED on ${failed.map(f => f.backend).join(', ')}`)
    process.exitCode = 1
  }
}

await main()
