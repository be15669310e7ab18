import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { rejection } from '../../test/helpers/rejection.js'
import { gitFailed, runGit, summariseGitStderr } from './run-git.js'

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-run-git-'))
})
afterAll(async () => {
  vi.unstubAllEnvs()
  await rm(dir, { recursive: true, force: true })
})

describe('summariseGitStderr', () => {
  it('keeps the first three meaningful lines, trimmed, without hints', () => {
    expect(summariseGitStderr('\n  fatal: one  \nhint: try this\n\ntwo\nthree\nfour\n')).toBe(
      'fatal: one / two / three',
    )
  })

  it('cuts the summary after 300 characters', () => {
    expect(summariseGitStderr('x'.repeat(300))).toBe('x'.repeat(300))
    expect(summariseGitStderr('x'.repeat(301))).toBe(`${'x'.repeat(300)}…`)
  })
})

describe('gitFailed', () => {
  it('names the command and the folder, and says when git said nothing', () => {
    const error = gitFailed(['cat-file', '--batch'], '/repo', '')
    expect(error.code).toBe('GIT_FAILED')
    expect(error.message).toBe('git cat-file failed in "/repo": no error output')
    expect(error.hint).toBe(
      'Check that the folder is a git repository you can read (git status works there).',
    )
    expect(error.details).toEqual({ command: 'git cat-file', repoDir: '/repo' })
    expect(gitFailed([], '/repo', 'boom').message).toBe('git  failed in "/repo": boom')
  })
})

describe('runGit', () => {
  it('returns the exit code, stdout and stderr of a command that fails', async () => {
    const result = await runGit(dir, ['rev-parse', '--verify', 'HEAD'])
    expect(result.exitCode).not.toBe(0)
    expect(result.stderr).toContain('not a git repository')
    expect(result.stdout.length).toBe(0)
  })

  it('collects stdout of a command that succeeds', async () => {
    const result = await runGit(dir, ['--version'])
    expect(result.exitCode).toBe(0)
    expect(result.stdout.toString()).toMatch(/^git version /)
    expect(result.stderr).toBe('')
  })

  it('refuses to start when the signal has already fired', async () => {
    const controller = new AbortController()
    controller.abort()
    const error = await rejection(runGit(dir, ['--version'], { signal: controller.signal }))
    expect(error.code).toBe('ABORTED')
  })

  it('ends the command when the signal fires while it runs', async () => {
    const controller = new AbortController()
    const running = runGit(dir, ['hash-object', '--stdin-paths'], { signal: controller.signal })
    controller.abort()
    const error = await rejection(running)
    expect(error.code).toBe('ABORTED')
  })

  it('names no command in the message of an abort while a git without arguments runs', async () => {
    const controller = new AbortController()
    const running = runGit(dir, [], { signal: controller.signal })
    controller.abort()
    const error = await rejection(running)
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('git  was aborted.')
  })

  it('says so when git is not on the PATH', async () => {
    vi.stubEnv('PATH', join(dir, 'no-such-folder'))
    const error = await rejection(runGit(dir, ['--version']))
    vi.unstubAllEnvs()
    expect(error.code).toBe('GIT_FAILED')
    expect(error.message).toBe('git is not installed or not on the PATH.')
    expect(error.hint).toBe('Install git to read `git:` sources.')
  })

  /** Puts a `git` that runs `script` (sh) first on the PATH (or `alone` on it); `mode` is its file mode. */
  async function fakeGit(name: string, script: string, mode = 0o755, alone = false): Promise<void> {
    const bin = join(dir, name)
    await mkdir(bin)
    await writeFile(join(bin, 'git'), `#!/bin/sh\n${script}\n`)
    await chmod(join(bin, 'git'), mode)
    vi.stubEnv('PATH', alone ? bin : `${bin}:${process.env.PATH ?? ''}`)
  }

  it('says why git could not be started when it is there but cannot run', async () => {
    await fakeGit('not-executable', 'exit 0', 0o644, true)
    const error = await rejection(runGit(dir, ['--version']))
    vi.unstubAllEnvs()
    expect(error.code).toBe('GIT_FAILED')
    expect(error.message).toBe(`git --version failed in ${JSON.stringify(dir)}: spawn git EACCES`)
  })

  it('gives exit code -1 for a git killed by a signal', async () => {
    await fakeGit('killed', 'kill -9 $$')
    const result = await runGit(dir, ['status'])
    vi.unstubAllEnvs()
    expect(result.exitCode).toBe(-1)
  })

  it('keeps about the first 16 KiB of what git writes to stderr', async () => {
    // 256 KiB in all; a pipe hands over at most 64 KiB at a time.
    await fakeGit('chatty', 'head -c 262144 /dev/zero | tr "\\0" e >&2')
    const result = await runGit(dir, ['status'])
    vi.unstubAllEnvs()
    expect(result.exitCode).toBe(0)
    expect(result.stderr.length).toBeGreaterThanOrEqual(16 * 1024)
    expect(result.stderr.length).toBeLessThan(16 * 1024 + 64 * 1024)
    expect(result.stderr).toMatch(/^e+$/)
  })

  it('names the command in the abort message, even when there is none', async () => {
    const controller = new AbortController()
    controller.abort()
    const { signal } = controller
    expect((await rejection(runGit(dir, ['status'], { signal }))).message).toBe(
      'git status was aborted.',
    )
    expect((await rejection(runGit(dir, [], { signal }))).message).toBe('git  was aborted.')
  })

  it('gives git no input: a command reading stdin sees it empty', async () => {
    const result = await runGit(dir, ['hash-object', '--stdin'])
    expect(result.exitCode).toBe(0)
    // The id of the empty blob.
    expect(result.stdout.toString().trim()).toBe('e69de29bb2d1d6434b8b29ae775ad8c2e48c5391')
  })

  it('stops a long-running git at once when the signal fires', async () => {
    await fakeGit('slow', 'exec sleep 20')
    const controller = new AbortController()
    const started = Date.now()
    const running = runGit(dir, ['fetch'], { signal: controller.signal })
    setTimeout(() => controller.abort(), 100)
    const error = await rejection(running)
    vi.unstubAllEnvs()
    expect(error.code).toBe('ABORTED')
    expect(error.message).toBe('git fetch was aborted.')
    expect(Date.now() - started).toBeLessThan(10_000)
  })
})
