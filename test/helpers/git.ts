import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

const execFileAsync = promisify(execFile)

/**
 * Runs git in `cwd` with a fixed identity and commit date and no user or
 * system configuration, so test repositories are the same on every machine.
 * Returns stdout, trimmed.
 */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.test',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.test',
      GIT_AUTHOR_DATE: '2024-05-06T07:08:09Z',
      GIT_COMMITTER_DATE: '2024-05-06T07:08:09Z',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
    },
  })
  return stdout.trim()
}
