import { execFileSync } from 'node:child_process'
import { parseSourceSpec } from '@packwright/core'
import { describe, expect, it } from 'vitest'
import { writeTree } from '../test/helpers/write-tree.js'
import { readGitCommitAnnotations } from './read-git-commit-annotations.js'

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'Ada',
      GIT_AUTHOR_EMAIL: 'ada@example.org',
      GIT_AUTHOR_DATE: '2025-01-02T03:04:05Z',
      GIT_COMMITTER_NAME: 'Carl',
      GIT_COMMITTER_EMAIL: 'carl@example.org',
      GIT_COMMITTER_DATE: '2025-01-03T03:04:05Z',
    },
  }).trim()
}

describe('readGitCommitAnnotations', () => {
  it('describes the commit of a git: spec, with a branch whose tip it is', async () => {
    const repo = await writeTree({ 'a.txt': 'a\n' })
    git(repo, 'init', '-q', '-b', 'trunk')
    git(repo, 'add', '.')
    git(repo, 'commit', '-q', '-m', 'Add a')
    const first = git(repo, 'rev-parse', 'HEAD')
    git(repo, 'commit', '-q', '--allow-empty', '-m', 'Later')
    const atFirst = await readGitCommitAnnotations(parseSourceSpec(`git:${repo}#${first}`))
    expect(atFirst).toEqual({
      'packwright.dev/version': first,
      'packwright.dev/commit-sha': first,
      'packwright.dev/commit-message': 'Add a',
      'packwright.dev/author-name': 'Ada',
      'packwright.dev/author-email': 'ada@example.org',
      'packwright.dev/author-date': '2025-01-02T03:04:05+00:00',
      'packwright.dev/committer-name': 'Carl',
      'packwright.dev/committer-email': 'carl@example.org',
      'packwright.dev/committer-date': '2025-01-03T03:04:05+00:00',
    })
    const head = git(repo, 'rev-parse', 'HEAD')
    const atHead = await readGitCommitAnnotations(parseSourceSpec(`git:${repo}#${head}`), 'v2')
    expect(atHead).toMatchObject({
      'packwright.dev/version': 'v2',
      'packwright.dev/commit-sha': head,
      'packwright.dev/branch': 'trunk',
    })
  })

  it('has nothing to say about a folder outside git', async () => {
    const folder = await writeTree({ 'a.txt': 'a\n' })
    expect(await readGitCommitAnnotations(parseSourceSpec(folder))).toEqual({})
  })
})
