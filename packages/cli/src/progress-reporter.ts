import type { PackageProgress } from '@packwright/core'
import type { CliIo } from './cli-io.js'
import { formatBytes } from './format-bytes.js'

const MIN_INTERVAL_MS = 100

/**
 * Progress on stderr, only when stderr is a terminal: one line rewritten in
 * place, at most ten times a second. Returns undefined when quiet.
 */
export function createProgressReporter(
  io: CliIo,
): { report: (progress: PackageProgress) => void; finish: () => void } | undefined {
  if (io.stderr.isTTY !== true) return undefined
  let last = 0
  let shown = false
  return {
    report(progress) {
      const now = Date.now()
      if (now - last < MIN_INTERVAL_MS && progress.filesDone !== progress.filesTotal) return
      last = now
      shown = true
      const percent =
        progress.bytesTotal === 0
          ? 100
          : Math.floor((progress.bytesDone / progress.bytesTotal) * 100)
      io.stderr.write(
        `\r\u001b[2K${progress.phase}: ${progress.filesDone}/${progress.filesTotal} files, ` +
          `${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)} (${percent}%)`,
      )
    },
    finish() {
      if (shown) io.stderr.write('\r\u001b[2K')
    },
  }
}
