import { readFileSync } from 'node:fs'
import { CalendarOverridesSchema, WorkingCalendar } from '@shared/calendar/working-days'
import shipped from './data/calendar-overrides.json' with { type: 'json' }

/**
 * China's working-day calendar: the chinese-days package's holidays and
 * make-up working days, overridden by the shipped data file and then by an
 * operator's file (IOC_CALENDAR_FILE) for years the package does not know yet.
 */
export function loadWorkingCalendar(operatorFile?: string): WorkingCalendar {
  const base = CalendarOverridesSchema.parse(shipped)
  if (!operatorFile)
    return new WorkingCalendar(base)
  let extra: unknown
  try {
    extra = JSON.parse(readFileSync(operatorFile, 'utf8'))
  }
  catch (err) {
    throw new Error(`IOC_CALENDAR_FILE: cannot read ${operatorFile}: ${(err as Error).message}`, { cause: err })
  }
  const parsed = CalendarOverridesSchema.safeParse(extra)
  if (!parsed.success)
    throw new Error(`IOC_CALENDAR_FILE: ${operatorFile}: ${parsed.error.issues.map(i => `${i.path.join('.')} ${i.message}`).join('; ')}`)
  // The operator's days win: a date they list as a working day is no longer a shipped holiday, and the reverse.
  const holidays = new Set([...base.holidays.filter(d => !parsed.data.workdays.includes(d)), ...parsed.data.holidays])
  const workdays = new Set([...base.workdays.filter(d => !parsed.data.holidays.includes(d)), ...parsed.data.workdays])
  return new WorkingCalendar({ holidays: [...holidays], workdays: [...workdays] })
}
