import { PassThrough } from 'node:stream'
import type { PushResult } from '@packwright/client'
import { describe, expect, it } from 'vitest'
import { UsageError } from '../usage-error.js'
import { formatPushSummary, runPushCommand, toPushJson } from './push-command.js'

const RESULT: PushResult = {
  files: 3,
  totalBytes: 3072,
  packageBytes: 2048,
  bytesSent: 512,
  requestBytes: 900,
  filesMatched: 2,
  filesSent: 1,
  sha256: 'ab'.repeat(32),
  guid: '6f1c2a9e-0000-4000-8000-000000000001',
  appGuid: '6f1c2a9e-0000-4000-8000-000000000002',
  appCreated: false,
  state: 'READY',
  durationMs: 1234,
  annotations: { 'packwright.dev/version': '1.0.0' },
}

function io() {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  return { stdout, stderr }
}

describe('formatPushSummary', () => {
  it('says what was pushed, where, and how much of the package was sent', () => {
    expect(formatPushSummary(RESULT, 'web', 'http://127.0.0.1:8080')).toBe(
      'pushed 3 files to app "web" on http://127.0.0.1:8080\n' +
        `  package  ${RESULT.guid} (READY)\n` +
        `  sha256   ${RESULT.sha256} (the same as packwright generate)\n` +
        '  files    3 (3.0 KiB), 2 matched on the server, 1 sent\n' +
        '  sent     512 B (512 bytes) of a 2.0 KiB package (25.0%)\n' +
        '  time     1.23 s\n',
    )
  })
})

describe('toPushJson', () => {
  it('has the summary fields under stable names', () => {
    expect(toPushJson(RESULT, 'web', 'http://s')).toEqual({
      server: 'http://s',
      app: 'web',
      appGuid: RESULT.appGuid,
      guid: RESULT.guid,
      state: 'READY',
      sha256: RESULT.sha256,
      files: 3,
      totalBytes: 3072,
      packageBytes: 2048,
      bytesSent: 512,
      requestBytes: 900,
      filesMatched: 2,
      filesSent: 1,
      timeMs: 1234,
      annotations: { 'packwright.dev/version': '1.0.0' },
    })
  })
})

describe('runPushCommand', () => {
  it('refuses a command line without a source, --server or --app', async () => {
    await expect(runPushCommand(['--server', 'http://s', '--app', 'a'], io())).rejects.toThrow(
      new UsageError('push takes exactly one <source>, got 0'),
    )
    await expect(runPushCommand(['.', '--app', 'a'], io())).rejects.toThrow(
      new UsageError('push needs --server URL'),
    )
    await expect(runPushCommand(['.', '--server', 'http://s', '--app', ' '], io())).rejects.toThrow(
      new UsageError('push needs --app NAME (a non-empty app name)'),
    )
  })

  it('refuses a server URL with credentials before reading the source', async () => {
    await expect(
      runPushCommand(
        ['/does/not/exist', '--server', 'http://u:p@h', '--app', 'a'],
        io(),
        undefined,
        {},
      ),
    ).rejects.toMatchObject({ code: 'PUSH_SERVER_URL_INVALID' })
  })
})
