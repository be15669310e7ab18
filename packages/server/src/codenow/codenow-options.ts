import type { CodenowApiKey } from './codenow-api-key.js'

/** CodeNOW's default: a key may make this many requests a minute. */
export const DEFAULT_CODENOW_REQUESTS_PER_MINUTE = 600

/** The CodeNOW routes' settings, as the `codenow` section of the config holds them. */
export interface CodenowOptions {
  /** The keys accepted in `X-Codenow-Api-Key`, hashed (see resolveCodenowApiKeys). */
  readonly apiKeys: readonly CodenowApiKey[]
  /** Requests a minute per key, unless a key sets its own. @default 600 */
  readonly requestsPerMinute?: number
}
