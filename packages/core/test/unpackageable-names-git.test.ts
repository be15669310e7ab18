import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePackage } from '../src/package/generate-package.js'
import { createGitRepositoryReader } from '../src/source/git-repository-reader.js'
import { createGitFixture, type GitFixture } from './helpers/git-fixture.js'
import { rejection } from './helpers/rejection.js'
import { UNPACKAGEABLE_NAMES, quotedName } from './helpers/unpackageable-names.js'

// Every file a git commit holds is packaged or reported: `ls-tree -z` gives
// raw bytes, and names the package cannot hold are errors, never skipped.

const DATE = '2024-05-06T07:08:09Z'
let repo: GitFixture
let commit: string

const paths = (entries: readonly { path: string }[]) => entries.map((entry) => entry.path)

/** Runs git plumbing in the fixture with `input` on stdin. */
function plumbing(args: readonly string[], input: string | Buffer): string {
  return execFileSync('git', ['-C', repo.dir, ...args], { input })
    .toString('utf8')
    .trim()
}

beforeAll(async () => {
  repo = await createGitFixture()
  for (const name of UNPACKAGEABLE_NAMES) {
    const dir = join(repo.dir, name.folder)
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'ok.txt'), 'ok\n')
    await writeFile(Buffer.concat([Buffer.from(`${dir}/`), name.bytes]), 'hidden\n')
  }
  await writeFile(join(repo.dir, 'clean.txt'), 'clean\n')
  await mkdir(join(repo.dir, 'badlink'))
  await symlink(Buffer.from([0x61, 0xff, 0x62]), join(repo.dir, 'badlink/link'))
  commit = await repo.commit('names', DATE)
})
afterAll(async () => {
  await repo.remove()
})

describe('git commits', () => {
  it.each(UNPACKAGEABLE_NAMES)(
    'refuses a committed file whose name holds $label, naming it',
    async (name) => {
      const outFile = join(repo.dir, `${name.folder}.zip`)
      const failure = await rejection(
        generatePackage({
          source: `git:${repo.dir}#${commit}:${name.folder}`,
          mode: 'directory',
          outFile,
        }),
      )
      expect(failure.code).toBe('SOURCE_PATH_INVALID')
      expect(failure.message).toContain(quotedName(name, name.folder))
      expect(failure.message).toContain(commit.slice(0, 12))
      expect(existsSync(outFile)).toBe(false)
    },
  )

  it('lists the other folders of the commit, and leaves a line break out when a pattern says so', async () => {
    const reader = await createGitRepositoryReader({ repoDir: repo.dir, rev: commit })
    try {
      expect(paths(await reader.list('tab'))).toEqual(['tab/a\tb.txt', 'tab/ok.txt'])
      const failure = await rejection(reader.list(''))
      expect(failure.code).toBe('SOURCE_PATH_INVALID')
      expect(failure.message).toContain('"latin1/a\\\\xffb.txt"')
    } finally {
      await reader.close()
    }
    const built = await generatePackage({
      source: `git:${repo.dir}#${commit}:newline`,
      mode: 'directory',
      exclude: ['a*'],
      outFile: join(repo.dir, 'excluded.zip'),
    })
    expect(paths(built.entries.toArray())).toEqual(['ok.txt'])
  })

  it('refuses a committed symlink whose target is not UTF-8, instead of storing a changed target', async () => {
    const failure = await rejection(
      generatePackage({
        source: `git:${repo.dir}#${commit}:badlink`,
        mode: 'directory',
        outFile: join(repo.dir, 'badlink.zip'),
      }),
    )
    expect(failure.code).toBe('SOURCE_PATH_INVALID')
    expect(failure.message).toContain('symlink "badlink/link"')
    expect(failure.message).toContain('"a\\\\xffb"')
  })

  it('refuses a hand-made tree entry named `..`', async () => {
    const blob = plumbing(['hash-object', '-w', '--stdin'], 'escape\n')
    // With an ignore file, the `..` would reach the ignore matcher, which throws on it.
    const tree = plumbing(
      ['mktree'],
      `100644 blob ${blob}\t..\n100644 blob ${blob}\t.packwrightignore\n100644 blob ${blob}\tok.txt\n`,
    )
    const handMade = plumbing(['commit-tree', tree, '-m', 'hand-made'], '')
    const failure = await rejection(
      generatePackage({
        source: `git:${repo.dir}#${handMade}`,
        mode: 'directory',
        outFile: join(repo.dir, 'dotdot.zip'),
      }),
    )
    expect(failure.code).toBe('SOURCE_PATH_INVALID')
    expect(failure.message).toContain('".."')
    expect(failure.message).toContain('`..` segment')
  })
})
