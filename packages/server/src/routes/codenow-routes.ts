import type { FastifyInstance } from 'fastify'
import type { CodenowApiKey } from '../codenow/codenow-api-key.js'
import { installCodenowAuth } from '../codenow/install-codenow-auth.js'
import { installCodenowErrors } from '../codenow/install-codenow-errors.js'
import type { RouteContext } from '../http/route-context.js'
import { registerCodenowApplicationRoutes } from './codenow-application-routes.js'
import { registerCodenowPackageRoutes } from './codenow-package-routes.js'

/** CodeNOW's default: a key may make this many requests a minute. */
export const DEFAULT_CODENOW_REQUESTS_PER_MINUTE = 600

export interface CodenowOptions {
  /** The keys accepted in `X-Codenow-Api-Key`, hashed (see resolveCodenowApiKeys). */
  readonly apiKeys: readonly CodenowApiKey[]
  /** Requests a minute per key, unless a key sets its own. @default 600 */
  readonly requestsPerMinute?: number
}

/**
 * The CodeNOW API in a scope of its own: its media type, its key header,
 * its rate limit and its error body, apart from the Cloud Foundry routes.
 */
export async function registerCodenowRoutes(
  app: FastifyInstance,
  context: RouteContext,
  options: CodenowOptions & { readonly bodyLimit: number; readonly now: () => number },
): Promise<void> {
  await app.register((scope, _options, done) => {
    installCodenowErrors(scope, options.bodyLimit)
    installCodenowAuth(scope, {
      apiKeys: options.apiKeys,
      requestsPerMinute: options.requestsPerMinute ?? DEFAULT_CODENOW_REQUESTS_PER_MINUTE,
      now: options.now,
    })
    registerCodenowApplicationRoutes(scope, context)
    registerCodenowPackageRoutes(scope, context)
    done()
  })
}
