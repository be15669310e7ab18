import { PackwrightError, quoteInput } from '../errors.js'
import { DEFAULT_GITHUB_API_BASE_URL } from '../source/github-request.js'
import type { SourceSpec } from '../source/source-spec.js'
import type { ProvenanceResourceDescriptor } from './provenance-statement.js'

export interface SourceDependencyOptions {
  /** The full SHA of the commit read, when the source is a commit. */
  readonly commit?: string | undefined
  readonly repository?: { readonly url: string; readonly ref?: string | undefined } | undefined
  readonly githubApiBaseUrl?: string | undefined
}

const GIT_COMMIT = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/

/**
 * An http(s) URL without user name, password, query or fragment, and without
 * a trailing slash: what may be written in a statement.
 */
function publicUrl(text: string, field: string): string {
  const url = URL.canParse(text) ? new URL(text) : undefined
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:')) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Provenance statement: \`${field}\` must be an http(s) URL, got ${quoteInput(text.replace(/\/\/[^/@]*@/, '//'))}.`,
      { details: { field, expected: 'an http(s) URL' } },
    )
  }
  url.username = ''
  url.password = ''
  url.search = ''
  url.hash = ''
  return url.href.replace(/\/+$/, '')
}

/**
 * The web address of the GitHub that serves an API base URL:
 * `https://api.github.com` → `https://github.com`, GitHub Enterprise Server's
 * `https://ghe.example/api/v3` → `https://ghe.example`, and GitHub Enterprise
 * Cloud's `https://api.corp.ghe.com` → `https://corp.ghe.com`.
 */
export function githubWebUrlFor(apiBaseUrl: string): string {
  const api = new URL(publicUrl(apiBaseUrl, 'githubApiBaseUrl'))
  if (api.pathname.endsWith('/api/v3')) {
    api.pathname = api.pathname.slice(0, -'/api/v3'.length)
  } else if (api.hostname.startsWith('api.')) {
    api.hostname = api.hostname.slice('api.'.length)
  }
  return api.href.replace(/\/+$/, '')
}

function annotationsOf(path: string): Pick<ProvenanceResourceDescriptor, 'annotations'> {
  return path === '' ? {} : { annotations: { path } }
}

/**
 * The dependency a commit source resolved to, as SLSA records a git
 * checkout: `uri` in the SPDX download-location form
 * (`git+https://github.com/org/repo@refs/tags/v1`), `digest.gitCommit` the
 * full commit SHA, and the path inside the repository as an annotation. A
 * local folder has no immutable identity, so it gives none (undefined).
 */
export function sourceDependencyOf(
  spec: SourceSpec,
  options: SourceDependencyOptions,
): ProvenanceResourceDescriptor | undefined {
  if (spec.kind !== 'github' && spec.kind !== 'git') return undefined
  const asked = spec.kind === 'github' ? spec.ref : spec.rev
  const commit = options.commit ?? (GIT_COMMIT.test(asked) ? asked : undefined)
  let uri: string | undefined
  if (options.repository !== undefined) {
    const url = publicUrl(options.repository.url, 'repository.url')
    uri = `git+${url}@${options.repository.ref ?? commit ?? asked}`
  } else if (spec.kind === 'github') {
    const web = githubWebUrlFor(options.githubApiBaseUrl ?? DEFAULT_GITHUB_API_BASE_URL)
    uri = `git+${web}/${spec.owner}/${spec.repo}@${asked}`
  }
  if (uri === undefined && commit === undefined) return undefined
  return {
    ...(uri === undefined ? {} : { uri }),
    ...(commit === undefined ? {} : { digest: { gitCommit: commit } }),
    ...annotationsOf(spec.path),
  }
}
