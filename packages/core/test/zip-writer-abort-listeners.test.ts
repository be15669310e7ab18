import { getEventListeners } from 'node:events'
import { mkdtemp, readdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { setImmediate as nextTurn } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { isPackwrightError } from '../src/errors.js'
import { type PlannedEntry } from '../src/plan/planned-entry.js'
import { type ReadOptions, type SourceReader } from '../src/source/source-reader.js'
import { runZipWriter } from '../src/zip/write/run-zip-writer.js'
import { AUTO_ZIP_WRITER_TUNING } from '../src/zip/write/zip-writer-tuning.js'
import { createMemorySourceReader } from './helpers/memory-source-reader.js'

let dir: string
let warnings: Error[]
const onWarning = (warning: Error) => warnings.push(warning)
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip-listeners-'))
  warnings = []
  process.on('warning', onWarning)
})
afterEach(async () => {
  process.off('warning', onWarning)
  await rm(dir, { recursive: true, force: true })
})

const FILES = 200

function smallFiles(): Record<string, string> {
  const files: Record<string, string> = {}
  for (let i = 0; i < FILES; i++) {
    files[`f${String(i).padStart(3, '0')}.txt`] = `line ${i}\n`.repeat(20)
  }
  return files
}

/**
 * A reader that answers like a network one: each read listens on its signal
 * until its answer comes a turn later. Counts the most listeners the caller's
 * signal ever had during a read, and how many reads saw an aborted signal.
 */
function listeningReader(files: Record<string, string>, callerSignal: AbortSignal) {
  const inner = createMemorySourceReader(files)
  const seen = { mostCallerListeners: 0, readsAborted: 0, readSignals: new Set<AbortSignal>() }
  const reader: SourceReader = {
    ...inner,
    readBytes: async (path: string, options?: ReadOptions) => {
      const signal = options?.signal
      if (signal === undefined) throw new Error('the writer passed no signal to a read')
      seen.readSignals.add(signal)
      const onAbort = () => undefined
      signal.addEventListener('abort', onAbort, { once: true })
      seen.mostCallerListeners = Math.max(
        seen.mostCallerListeners,
        getEventListeners(callerSignal, 'abort').length,
      )
      try {
        await nextTurn()
        if (signal.aborted) {
          seen.readsAborted++
          throw signal.reason
        }
        return await inner.readBytes(path)
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
    },
  }
  return { reader, seen }
}

const entriesOf = (files: Record<string, string>): PlannedEntry[] =>
  Object.entries(files).map(([path, content]) => ({
    zipPath: path,
    sourcePath: path,
    kind: 'file',
    size: content.length,
    executable: false,
  }))

const leakWarnings = () =>
  warnings.filter((warning) => warning.name === 'MaxListenersExceededWarning')

describe('the writer and a long-lived abort signal', () => {
  for (const threads of [0, 2]) {
    it(`adds one listener to the caller's signal per run, however many reads wait at once (${threads} threads)`, async () => {
      const controller = new AbortController()
      const files = smallFiles()
      const { reader, seen } = listeningReader(files, controller.signal)
      // Runs one after another with the same signal, as a server or watcher would.
      for (let run = 0; run < 3; run++) {
        const zip = await runZipWriter(
          {
            entries: entriesOf(files),
            reader,
            outFile: join(dir, `out-${run}.zip`),
            signal: controller.signal,
          },
          { ...AUTO_ZIP_WRITER_TUNING, threads },
        )
        expect(zip.fileCount).toBe(FILES)
      }
      // A job reads up to 64 entries at once; the caller's signal never held more than the run's own listener.
      expect(seen.mostCallerListeners).toBe(1)
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
      expect(seen.readSignals.has(controller.signal)).toBe(false)
      // Let a warning emitted on the last turn arrive.
      await nextTurn()
      expect(leakWarnings()).toEqual([])
    })
  }

  it('still aborts the reads in flight when the caller aborts', async () => {
    const controller = new AbortController()
    const files = smallFiles()
    const { reader, seen } = listeningReader(files, controller.signal)
    let reads = 0
    const aborting: SourceReader = {
      ...reader,
      readBytes: (path, options) => {
        if (++reads === 100) controller.abort(new Error('stop now'))
        return reader.readBytes(path, options)
      },
    }
    let caught: unknown
    try {
      await runZipWriter(
        {
          entries: entriesOf(files),
          reader: aborting,
          outFile: join(dir, 'out.zip'),
          signal: controller.signal,
        },
        { ...AUTO_ZIP_WRITER_TUNING, threads: 0 },
      )
    } catch (error) {
      caught = error
    }
    expect(isPackwrightError(caught) ? caught.code : caught).toBe('ABORTED')
    // The reads waiting when the caller aborted saw their signal aborted.
    expect(seen.readsAborted).toBeGreaterThan(0)
    expect(await readdir(dir)).toEqual([])
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
    expect(leakWarnings()).toEqual([])
  })
})
