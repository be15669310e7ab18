import { execFile } from 'node:child_process'
import { stat } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { PACKWRIGHT_ANNOTATIONS, type SourceSpec } from '@packwright/core'

/** Cloud Foundry's longest annotation value. */
const MAX_ANNOTATION_VALUE = 5000

const LOG_FORMAT = ['%H', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x00')

function git(args: readonly string[], signal?: AbortSignal): Promise<string | undefined> {
  return new Promise((resolvePromise) => {
    execFile(
      'git',
      [...args],
      {
        encoding: 'utf8',
        maxBuffer: 1024 * 1024,
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
        ...(signal === undefined ? {} : { signal }),
      },
      (error, stdout) => resolvePromise(error === null ? stdout : undefined),
    )
  })
}

/** Where git should look and at which commit, or undefined for sources that are not git. */
async function gitLocation(
  spec: SourceSpec,
): Promise<{ dir: string; rev: string; checkout: boolean } | undefined> {
  if (spec.kind === 'git') return { dir: spec.repoDir, rev: spec.rev, checkout: false }
  if (spec.kind !== 'local') return undefined
  const full = resolve(spec.path)
  const info = await stat(full).catch(() => undefined)
  if (info === undefined) return undefined
  return { dir: info.isDirectory() ? full : dirname(full), rev: 'HEAD', checkout: true }
}

function cut(value: string): string {
  return value.length > MAX_ANNOTATION_VALUE ? value.slice(0, MAX_ANNOTATION_VALUE) : value
}

/**
 * The `packwright.dev/*` annotations of the commit a source comes from: a
 * `git:` spec, or a local folder inside a git checkout (its HEAD). Empty when
 * the source is not in git. `version` is the given version, else the commit
 * SHA. The branch is the checkout's current branch, or for a `git:` spec a
 * branch whose tip is that commit; left out when there is none.
 */
export async function readGitCommitAnnotations(
  spec: SourceSpec,
  version?: string,
  signal?: AbortSignal,
): Promise<Record<string, string>> {
  const location = await gitLocation(spec)
  if (location === undefined) return {}
  const { dir, rev } = location
  const log = await git(
    ['-C', dir, 'log', '-1', '--no-show-signature', `--format=${LOG_FORMAT}`, rev, '--'],
    signal,
  )
  if (log === undefined) return {}
  const [sha, authorName, authorEmail, authorDate, committerName, committerEmail, committerDate] =
    log.split('\0')
  const message = log.split('\0').slice(7).join('\0').trim()
  if (sha === undefined || !/^[0-9a-f]{40,64}$/.test(sha)) return {}
  const branchOutput = location.checkout
    ? await git(['-C', dir, 'symbolic-ref', '--short', '-q', 'HEAD'], signal)
    : await git(['-C', dir, 'branch', '--points-at', sha, '--format=%(refname:short)'], signal)
  const branch = branchOutput
    ?.split('\n')
    .map((line) => line.trim())
    .find((line) => line !== '' && !line.startsWith('('))
  const keys = PACKWRIGHT_ANNOTATIONS
  return {
    [keys.version]: cut(version ?? sha),
    [keys.commitSha]: sha,
    [keys.commitMessage]: cut(message),
    [keys.authorName]: cut(authorName ?? ''),
    [keys.authorEmail]: cut(authorEmail ?? ''),
    [keys.authorDate]: authorDate ?? '',
    [keys.committerName]: cut(committerName ?? ''),
    [keys.committerEmail]: cut(committerEmail ?? ''),
    [keys.committerDate]: committerDate ?? '',
    ...(branch === undefined ? {} : { [keys.branch]: cut(branch) }),
  }
}
