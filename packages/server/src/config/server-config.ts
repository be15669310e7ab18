import type { AccessToken } from '../auth/access-token.js'

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
}

/** nginx's `client_max_body_size` in front of Cloud Controller: 1.5 GiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 1536 * 1024 * 1024

/** packwright matches every file with content; Cloud Foundry starts at 64 KiB. */
export const DEFAULT_MINIMUM_MATCHABLE_SIZE = 1
