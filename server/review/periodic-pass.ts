/**
 * Leader work that runs a pass now and every `intervalMs` (real time), one
 * pass at a time: a call while a pass runs shares it. `stop()` waits for
 * the pass under way.
 */
export class PeriodicPass<T> {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<T> | undefined

  constructor(private readonly pass: () => Promise<T>, private readonly intervalMs: number, private readonly onError: (err: unknown) => void) {}

  start(): Promise<void> {
    const run = (): void => {
      this.run().catch(this.onError)
    }
    run()
    this.timer = setInterval(run, this.intervalMs)
    this.timer.unref()
    return Promise.resolve()
  }

  async stop(): Promise<void> {
    clearInterval(this.timer)
    this.timer = undefined
    await this.running?.catch(() => undefined)
  }

  run(): Promise<T> {
    this.running ??= this.pass().finally(() => {
      this.running = undefined
    })
    return this.running
  }
}
