import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createPushProgressDisplay } from './push-command-progress.js'

function terminal(isTTY: boolean) {
  const stderr = Object.assign(new PassThrough(), { isTTY, columns: 200 })
  let written = ''
  stderr.setEncoding('utf8').on('data', (chunk: string) => (written += chunk))
  return { io: { stdout: new PassThrough(), stderr }, written: () => written }
}

describe('createPushProgressDisplay', () => {
  it('stays quiet when stderr is not a terminal', () => {
    expect(createPushProgressDisplay(terminal(false).io)).toBeUndefined()
  })

  it('draws a bar per phase, with rate and ETA while uploading', () => {
    const { io, written } = terminal(true)
    const display = createPushProgressDisplay(io)
    expect(display).toBeDefined()
    display?.report({ phase: 'matching', done: 5000, total: 30000 })
    display?.report({ phase: 'uploading', sent: 0, total: 4 * 1024 * 1024 })
    display?.report({ phase: 'uploading', sent: 2 * 1024 * 1024, total: 4 * 1024 * 1024 })
    display?.report({ phase: 'processing', state: 'READY' })
    display?.finish()
    const text = written()
    expect(text).toContain('matching   [====--------------------] 16% | 5000/30000 files asked')
    expect(text).toMatch(
      /uploading {2}\[=+-*\] 50% \| 2\.0 MiB of 4\.0 MiB \| [\d.]+ [KMG]?i?B\/s \| ETA /,
    )
    expect(text).toContain('processing [========================] 100% | READY')
  })
})
