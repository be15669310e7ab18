import type { GitHubSourceSpec } from './parse-generate-request.js'

/**
 * The cache key of a package generated from GitHub: the API host, the
 * repository (GitHub's names ignore case), the commit as named and the
 * manifest path. A commit never changes, so neither does its package. The
 * key holds no token.
 */
export function generatedPackageKey(apiBaseUrl: string, source: GitHubSourceSpec): string {
  return JSON.stringify([
    apiBaseUrl,
    source.owner.toLowerCase(),
    source.repo.toLowerCase(),
    source.ref.toLowerCase(),
    source.path,
  ])
}
