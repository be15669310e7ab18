import {
  DEFAULT_GITHUB_API_BASE_URL,
  type GitHubTimeouts,
  PackwrightError,
  quoteInput,
} from '@packwright/core'
import type { ServerStorage } from '../storage/server-storage.js'
import type { SpicePackageGeneratorOptions } from './spice-package-generator.js'

/** How `POST /v1/packages/generate` reaches GitHub and keeps what it builds. */
export interface SpiceGenerateSettings {
  /**
   * GitHub REST API base URL; GitHub Enterprise Server's is
   * `https://HOST/api/v3`. @default 'https://api.github.com'
   */
  readonly githubApiUrl?: string
  /**
   * Token for requests whose `params` name none (a server-side default).
   * Sent to the GitHub API only; never logged, echoed or stored.
   */
  readonly githubToken?: string
  /**
   * Keep each generated package, keyed by repository, commit and manifest
   * path, in the packages blob store: a commit never changes, so a second
   * request is served without building. @default true
   */
  readonly cache?: boolean
  /** Injected fetch for GitHub requests (tests, proxies). @default globalThis.fetch */
  readonly fetch?: typeof fetch
  /** Connect, idle, per-request and whole-read timeouts of GitHub requests. */
  readonly githubTimeouts?: GitHubTimeouts
}

/**
 * The generator's options for these settings: GitHub's base URL checked and
 * without a trailing `/`, the cache in the storage's packages blob store and
 * metadata index unless turned off, and zips written under `workFolder`.
 *
 * @throws PackwrightError `INVALID_ARGUMENT` when `githubApiUrl` is not an
 *   http(s) URL without credentials, query or fragment.
 */
export function spiceGeneratorOptions(
  settings: SpiceGenerateSettings | undefined,
  storage: ServerStorage,
  workFolder: string,
  timestamp: () => string,
): SpicePackageGeneratorOptions {
  return {
    packages: storage.packages,
    index: settings?.cache === false ? undefined : storage.metadata,
    workFolder,
    github: {
      apiBaseUrl: checkGitHubApiUrl(settings?.githubApiUrl ?? DEFAULT_GITHUB_API_BASE_URL),
      defaultToken: settings?.githubToken,
      fetch: settings?.fetch,
      timeouts: settings?.githubTimeouts,
    },
    timestamp,
  }
}

/** The URL without trailing `/`, or INVALID_ARGUMENT saying what is wrong with it. */
export function checkGitHubApiUrl(text: string): string {
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  if (
    url === undefined ||
    (url.protocol !== 'https:' && url.protocol !== 'http:') ||
    url.username !== '' ||
    url.password !== '' ||
    url.search !== '' ||
    url.hash !== ''
  ) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Invalid GitHub API URL ${quoteInput(text)}: expected an http(s) URL without credentials, query or fragment, such as https://api.github.com or https://ghe.example.com/api/v3.`,
      { details: { field: 'githubApiUrl' } },
    )
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`
}
