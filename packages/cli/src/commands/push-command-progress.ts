import type { PushProgress } from '@packwright/client'
import { SingleBar } from 'cli-progress'
import type { CliIo } from '../cli-io.js'
import { formatBytes } from '../format-bytes.js'

type Phase = PushProgress['phase']

const LABELS: Record<Phase, string> = {
  packaging: 'packaging ',
  matching: 'matching  ',
  zipping: 'zipping   ',
  uploading: 'uploading ',
  processing: 'processing',
}

/** Where a phase is, as a bar value out of a total, with the text shown beside it. */
function measure(progress: PushProgress): { value: number; total: number; detail: string } {
  switch (progress.phase) {
    case 'packaging': {
      const { bytesDone, bytesTotal, filesDone, filesTotal } = progress.progress
      return {
        value: bytesDone,
        total: bytesTotal,
        detail: `${filesDone}/${filesTotal} files, ${formatBytes(bytesDone)} of ${formatBytes(bytesTotal)}`,
      }
    }
    case 'matching':
      return {
        value: progress.done,
        total: progress.total,
        detail: `${progress.done}/${progress.total} files asked`,
      }
    case 'zipping':
      return {
        value: progress.done,
        total: progress.total,
        detail: `${formatBytes(progress.done)} of ${formatBytes(progress.total)}`,
      }
    case 'uploading':
      return {
        value: progress.sent,
        total: progress.total,
        detail: `${formatBytes(progress.sent)} of ${formatBytes(progress.total)}`,
      }
    case 'processing': {
      const done = ['READY', 'FAILED', 'EXPIRED'].includes(progress.state)
      return { value: done ? 1 : 0, total: 1, detail: progress.state }
    }
  }
}

export interface PushProgressDisplay {
  readonly report: (progress: PushProgress) => void
  readonly finish: () => void
}

/**
 * Progress bars on stderr, only when stderr is a terminal: one bar per
 * phase (packaging, matching, zipping, uploading with rate and ETA,
 * processing), each left on its own line when the next phase starts.
 */
export function createPushProgressDisplay(io: CliIo): PushProgressDisplay | undefined {
  if (io.stderr.isTTY !== true) return undefined
  let bar: SingleBar | undefined
  let phase: Phase | undefined
  let phaseStarted = 0

  const stop = () => {
    bar?.stop()
    bar = undefined
  }
  return {
    report: (progress) => {
      const { value, total, detail } = measure(progress)
      if (progress.phase !== phase) {
        stop()
        phase = progress.phase
        phaseStarted = Date.now()
        const uploading = phase === 'uploading'
        bar = new SingleBar({
          stream: io.stderr,
          format: `${LABELS[phase]} [{bar}] {percentage}% | {detail}${uploading ? ' | {rate}/s | ETA {eta_formatted}' : ''}`,
          barsize: 24,
          hideCursor: true,
          linewrap: false,
          gracefulExit: false,
          emptyOnZero: phase === 'processing',
        })
        bar.start(total, value, { detail, rate: formatBytes(0) })
        return
      }
      const seconds = Math.max((Date.now() - phaseStarted) / 1000, 0.001)
      bar?.setTotal(total)
      bar?.update(value, { detail, rate: formatBytes(Math.round(value / seconds)) })
    },
    finish: stop,
  }
}
