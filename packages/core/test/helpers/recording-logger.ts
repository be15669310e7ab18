import { type Logger } from '../../src/logger.js'

/** A logger that keeps each line as `<level> <message>`, in order, in `lines`. */
export function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: (message) => lines.push(`debug ${message}`),
    info: (message) => lines.push(`info ${message}`),
    warn: (message) => lines.push(`warn ${message}`),
  }
}
