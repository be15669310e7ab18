import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { findCheckout } from './find-checkout.js'

const execFileAsync = promisify(execFile)

let dir: string
let repo: string
let sha: string

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execFileAsync('git', args, {
    cwd,
    env: {
      ...process.env,
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_AUTHOR_NAME: 'Test',
      GIT_AUTHOR_EMAIL: 'test@example.test',
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.test',
    },
  })
  return stdout.trim()
}

beforeAll(async () => {
  dir = await realpath(await mkdtemp(join(tmpdir(), 'packwright-find-checkout-')))
  repo = join(dir, 'repo')
  await mkdir(join(repo, 'sub'), { recursive: true })
  await writeFile(join(repo, 'sub', 'a.txt'), 'a\n')
  await git(repo, 'init', '--quiet')
  await git(repo, 'add', '--all')
  await git(repo, 'commit', '--quiet', '-m', 'one')
  sha = await git(repo, 'rev-parse', 'HEAD')
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('findCheckout', () => {
  it('finds the repository that holds the commit, from any folder inside it', async () => {
    expect(await findCheckout(repo, sha)).toEqual({ repoDir: repo })
    expect(await findCheckout(join(repo, 'sub'), sha)).toEqual({ repoDir: repo })
  })

  it('says when the checkout does not hold the commit', async () => {
    const other = 'f'.repeat(40)
    expect(await findCheckout(repo, other)).toEqual({
      reason: `the checkout in ${repo} does not hold commit ${other}`,
    })
  })

  it('says when there is no checkout', async () => {
    const empty = join(dir, 'empty')
    await mkdir(empty)
    const result = await findCheckout(empty, sha)
    expect(result).toHaveProperty('reason', expect.stringContaining(`no git checkout in ${empty}`))
  })
})
