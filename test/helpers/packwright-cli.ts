import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

/** The built CLI entry point, run exactly as a user runs `packwright`. */
export const CLI_PATH = fileURLToPath(new URL('../../packages/cli/dist/main.js', import.meta.url))

export interface CliRun {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs the built CLI in a child process; `umask` runs it through `sh -c 'umask …'`. */
export function runPackwright(
  args: readonly string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; umask?: string } = {},
): Promise<CliRun> {
  const env = { ...process.env, ...options.env }
  const child =
    options.umask === undefined
      ? spawn(process.execPath, [CLI_PATH, ...args], { cwd: options.cwd, env })
      : spawn(
          'sh',
          ['-c', `umask ${options.umask} && exec "$0" "$@"`, process.execPath, CLI_PATH, ...args],
          {
            cwd: options.cwd,
            env,
          },
        )
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}
