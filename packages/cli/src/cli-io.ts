import type { Writable } from 'node:stream'

/** The streams a command writes to; injected so tests can capture them. */
export interface CliIo {
  readonly stdout: Writable
  readonly stderr: Writable & { isTTY?: boolean }
}
