import type { AccessToken } from '../auth/access-token.js'
import type { CodenowOptions } from '../codenow/codenow-options.js'

/**
 * The server's settings as a config file (JSON or YAML) holds them. Tokens
 * are listed by their sha256, never in clear.
 */
export interface ServerConfig {
  readonly tokens: readonly AccessToken[]
  /** Where data lives; the command line's `--data` wins over it. */
  readonly dataFolder?: string
  /** Largest request body accepted, in bytes. */
  readonly bodyLimitBytes?: number
  /** Smallest file size resource matching looks up, in bytes (inclusive). */
  readonly minimumMatchableSize?: number
  /** Largest file size resource matching looks up, in bytes (inclusive). */
  readonly maximumMatchableSize?: number
  /** The URL clients reach the server at, for links; default: taken from each request. */
  readonly externalUrl?: string
  /** Spice's `POST /v1/packages/generate`. */
  readonly spice?: SpiceConfig
  /** CodeNOW application packages: API keys (by sha256) with their applications, and the rate. */
  readonly codenow?: CodenowOptions
}

/** The `spice` section: how the generate endpoint reaches GitHub and keeps packages. */
export interface SpiceConfig {
  /** GitHub REST API base URL (GitHub Enterprise: `https://HOST/api/v3`). */
  readonly githubApiUrl?: string
  /**
   * A file holding the token used when a request names none; the token
   * itself is never written in the config.
   */
  readonly githubTokenFile?: string
  /** Keep generated packages by repository, commit and path. Default: true. */
  readonly cache?: boolean
}

/** nginx's `client_max_body_size` in front of Cloud Controller: 1.5 GiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 1536 * 1024 * 1024

/** packwright matches every file with content; Cloud Foundry starts at 64 KiB. */
export const DEFAULT_MINIMUM_MATCHABLE_SIZE = 1
