import type { FastifyInstance, FastifyRequest } from 'fastify'
import { CodenowApiError } from './codenow-api-error.js'
import {
  type CodenowApiKey,
  createCodenowKeyVerifier,
  mayUseApplication,
} from './codenow-api-key.js'
import { CODENOW_API_KEY_HEADER } from './codenow-media-type.js'
import { createKeyRateLimiter } from './key-rate-limiter.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The CodeNOW key a request presented, once checked. */
    codenowKey?: CodenowApiKey
  }
}

export interface CodenowAuthOptions {
  readonly apiKeys: readonly CodenowApiKey[]
  /** Requests a minute per key, unless a key sets its own. */
  readonly requestsPerMinute: number
  /** Milliseconds, for the rate limiter. */
  readonly now: () => number
}

/** The application in the request's path, if any; a new application's id is checked by its route. */
function applicationOf(request: FastifyRequest): string | undefined {
  const params = request.params as { applicationId?: unknown } | undefined
  return typeof params?.applicationId === 'string' ? params.applicationId : undefined
}

/**
 * Checks `X-Codenow-Api-Key` on every request in the scope before its body
 * is read: 401 without a key or with an unknown one, 429 with Retry-After
 * past the key's rate, 403 when the key may not use the application in the
 * path. The key itself never reaches a log or an answer.
 */
export function installCodenowAuth(scope: FastifyInstance, options: CodenowAuthOptions): void {
  const verify = createCodenowKeyVerifier(options.apiKeys)
  const limiter = createKeyRateLimiter(options.now)
  scope.addHook('onRequest', (request, _reply, done) => {
    const header = request.headers[CODENOW_API_KEY_HEADER]
    const presented = Array.isArray(header) ? header[0] : header
    if (presented === undefined || presented.trim() === '') {
      done(
        new CodenowApiError(
          'CODENOW_UNAUTHENTICATED',
          'No API key: send it in the X-Codenow-Api-Key header.',
          [{ field: 'X-Codenow-Api-Key', message: 'is required' }],
        ),
      )
      return
    }
    const key = verify(presented.trim())
    if (key === undefined) {
      done(
        new CodenowApiError(
          'CODENOW_UNAUTHENTICATED',
          'The API key is not valid for this server.',
          [{ field: 'X-Codenow-Api-Key', message: 'is not a key this server accepts' }],
        ),
      )
      return
    }
    const decision = limiter.take(key.sha256, key.requestsPerMinute ?? options.requestsPerMinute)
    if (!decision.allowed) {
      done(
        new CodenowApiError(
          'CODENOW_RATE_LIMITED',
          `Too many requests with this API key; retry after ${decision.retryAfterSeconds} s, backing off exponentially.`,
          [],
          decision.retryAfterSeconds,
        ),
      )
      return
    }
    const applicationId = applicationOf(request)
    if (applicationId !== undefined && !mayUseApplication(key, applicationId)) {
      done(
        new CodenowApiError(
          'CODENOW_FORBIDDEN',
          `The API key ${JSON.stringify(key.name)} may not use this application.`,
          [{ field: 'applicationId', message: 'is not one of the applications the key may use' }],
        ),
      )
      return
    }
    request.codenowKey = key
    done()
  })
}
