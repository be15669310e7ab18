import { constants } from 'node:os'
import { PackwrightError } from '@packwright/core'
import type { CliIo } from './cli-io.js'
import { formatError } from './format-error.js'

/** The signals that ask packwright to stop: Ctrl-C, `kill`, a closed terminal. */
export const TERMINATION_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
export type TerminationSignal = (typeof TERMINATION_SIGNALS)[number]

/** How long the run gets to remove its temp files after a signal before the process exits anyway. */
export const DEFAULT_CLEANUP_TIMEOUT_MS = 5000

/** 128 + the signal's number, the code shells report for a process a signal ended: 130 for SIGINT. */
export function exitCodeForSignal(signal: TerminationSignal): number {
  return 128 + constants.signals[signal]
}

/** The abort reason a signal gives the run, and the line printed for it. */
export function interruptedError(signal: TerminationSignal, detail = ''): PackwrightError {
  return new PackwrightError('ABORTED', `interrupted by ${signal}${detail}`, {
    details: { signal },
  })
}

export interface TerminationSignalOptions {
  readonly stderr: CliIo['stderr']
  /** @default DEFAULT_CLEANUP_TIMEOUT_MS */
  readonly cleanupTimeoutMs?: number
}

/**
 * Runs `run` with one AbortSignal that the first SIGINT, SIGTERM or SIGHUP
 * aborts. After a signal it waits for `run` to settle (that is where temp
 * files are removed, worker threads stopped and child processes killed), at
 * most `cleanupTimeoutMs`, then prints one `error [ABORTED]: interrupted by
 * SIG…` line and exits the process with 128 + the signal's number, whatever
 * `run` returned or threw. A second signal during that wait exits at once
 * with the same code.
 *
 * @returns `run`'s exit code when no signal arrived.
 */
export async function runUntilTerminated(
  run: (signal: AbortSignal) => Promise<number>,
  options: TerminationSignalOptions,
): Promise<number> {
  const controller = new AbortController()
  const cleanupTimeoutMs = options.cleanupTimeoutMs ?? DEFAULT_CLEANUP_TIMEOUT_MS
  let received: TerminationSignal | undefined
  let timer: NodeJS.Timeout | undefined

  const exitFor = (signal: TerminationSignal, detail?: string): never => {
    options.stderr.write(formatError(interruptedError(signal, detail)))
    process.exit(exitCodeForSignal(signal))
  }

  const listeners = TERMINATION_SIGNALS.map((name) => {
    const listener = (): void => {
      if (received !== undefined) {
        exitFor(received, `, then ${name}: exited without waiting for cleanup`)
      }
      received = name
      controller.abort(interruptedError(name))
      timer = setTimeout(
        () => exitFor(name, `: cleanup did not finish within ${cleanupTimeoutMs} ms`),
        cleanupTimeoutMs,
      )
    }
    process.on(name, listener)
    return { name, listener }
  })

  try {
    let code: number
    try {
      code = await run(controller.signal)
    } catch (error) {
      // Once interrupted, whatever failed did so because of the interruption.
      if (received === undefined) throw error
      return exitFor(received)
    }
    return received === undefined ? code : exitFor(received)
  } finally {
    clearTimeout(timer)
    for (const { name, listener } of listeners) process.off(name, listener)
  }
}
