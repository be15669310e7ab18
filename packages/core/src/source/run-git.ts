import { spawn } from 'node:child_process'
import { PackwrightError } from '../errors.js'
import { abortedError, throwIfAborted } from '../_internal/abort.js'

export interface GitRunResult {
  readonly exitCode: number
  readonly stdout: Buffer
  readonly stderr: string
}

const STDERR_LIMIT = 16 * 1024

/** The first meaningful lines of git's stderr, cut to about 300 characters, for messages. */
export function summariseGitStderr(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('hint:'))
  const text = lines.slice(0, 3).join(' / ')
  return text.length > 300 ? `${text.slice(0, 300)}…` : text
}

/** The error for a failed git command, with git's stderr summarised. */
export function gitFailed(
  args: readonly string[],
  repoDir: string,
  detail: string,
): PackwrightError {
  const command = `git ${args[0] ?? ''}`
  return new PackwrightError(
    'GIT_FAILED',
    `${command} failed in ${JSON.stringify(repoDir)}: ${detail === '' ? 'no error output' : detail}`,
    {
      hint: 'Check that the folder is a git repository you can read (git status works there).',
      details: { command, repoDir },
    },
  )
}

/**
 * Runs `git -C repoDir …args` to completion and collects its output. A
 * non-zero exit is returned, not thrown, so callers can tell cases apart.
 *
 * @throws PackwrightError `GIT_FAILED` when git cannot be started, `ABORTED`
 *   when `signal` fires.
 */
export async function runGit(
  repoDir: string,
  args: readonly string[],
  options: { signal?: AbortSignal | undefined } = {},
): Promise<GitRunResult> {
  const { signal } = options
  throwIfAborted(signal, `git ${args[0] ?? ''}`)
  return new Promise<GitRunResult>((resolve, reject) => {
    const child = spawn('git', ['-C', repoDir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(signal === undefined ? {} : { signal }),
    })
    const stdout: Buffer[] = []
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
    child.stderr.setEncoding('utf8')
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < STDERR_LIMIT) stderr += chunk
    })
    child.once('error', (error: NodeJS.ErrnoException) => {
      if (signal?.aborted === true) {
        reject(abortedError(signal, `git ${args[0] ?? ''}`))
      } else if (error.code === 'ENOENT') {
        reject(
          new PackwrightError('GIT_FAILED', 'git is not installed or not on the PATH.', {
            cause: error,
            hint: 'Install git to read `git:` sources.',
          }),
        )
      } else {
        reject(gitFailed(args, repoDir, error.message))
      }
    })
    child.once('close', (code) => {
      if (signal?.aborted === true) {
        reject(abortedError(signal, `git ${args[0] ?? ''}`))
        return
      }
      resolve({ exitCode: code ?? -1, stdout: Buffer.concat(stdout), stderr })
    })
  })
}
