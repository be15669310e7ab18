import { describe, expect, it } from 'vitest'
import { isPackwrightError } from '../errors.js'
import { sourceDependencyOf } from './source-dependency.js'

const COMMIT = '0123456789abcdef0123456789abcdef01234567'
const SHA256_COMMIT = 'ab'.repeat(32)

describe('sourceDependencyOf', () => {
  it('names a github: source by its web address and the ref as given, with the commit read', () => {
    expect(
      sourceDependencyOf(
        { kind: 'github', owner: 'octo', repo: 'demo', ref: 'main', path: 'pods/spicepod.yaml' },
        { commit: COMMIT },
      ),
    ).toEqual({
      uri: 'git+https://github.com/octo/demo@main',
      digest: { gitCommit: COMMIT },
      annotations: { path: 'pods/spicepod.yaml' },
    })
  })

  it('uses a full SHA given in the spec when no commit was reported, never an abbreviated one', () => {
    const spec = { kind: 'git', repoDir: '/r', rev: SHA256_COMMIT, path: '' } as const
    expect(sourceDependencyOf(spec, {})).toEqual({ digest: { gitCommit: SHA256_COMMIT } })
    expect(sourceDependencyOf({ ...spec, rev: COMMIT.slice(0, 12) }, {})).toBeUndefined()
    expect(sourceDependencyOf({ ...spec, rev: COMMIT.toUpperCase() }, {})).toBeUndefined()
  })

  it('names the given repository at the ref, else at the commit', () => {
    const spec = { kind: 'git', repoDir: '/r', rev: 'v1', path: 'app' } as const
    expect(
      sourceDependencyOf(spec, {
        commit: COMMIT,
        repository: { url: 'https://github.com/octo/demo', ref: 'refs/tags/v1' },
      })?.uri,
    ).toBe('git+https://github.com/octo/demo@refs/tags/v1')
    expect(
      sourceDependencyOf(spec, {
        commit: COMMIT,
        repository: { url: 'https://github.com/octo/demo#frag' },
      })?.uri,
    ).toBe(`git+https://github.com/octo/demo@${COMMIT}`)
  })

  it('lists nothing for a local folder or a docker image', () => {
    expect(sourceDependencyOf({ kind: 'local', path: './app' }, { commit: COMMIT })).toBeUndefined()
    expect(sourceDependencyOf({ kind: 'docker', image: 'nginx:1' }, {})).toBeUndefined()
  })

  it('refuses a repository URL that is not http(s), without echoing its credentials', () => {
    let error: unknown
    try {
      sourceDependencyOf(
        { kind: 'git', repoDir: '/r', rev: COMMIT, path: '' },
        { repository: { url: 'ssh://me:hunter2@example.com/repo' } },
      )
    } catch (thrown) {
      error = thrown
    }
    expect(isPackwrightError(error, 'INVALID_ARGUMENT')).toBe(true)
    expect((error as Error).message).toBe(
      'Provenance statement: `repository.url` must be an http(s) URL, got "ssh://example.com/repo".',
    )
  })
})
