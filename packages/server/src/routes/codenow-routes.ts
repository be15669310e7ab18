import type { FastifyInstance } from 'fastify'
import {
  type CodenowOptions,
  DEFAULT_CODENOW_REQUESTS_PER_MINUTE,
} from '../codenow/codenow-options.js'
import { installCodenowAuth } from '../codenow/install-codenow-auth.js'
import { installCodenowErrors } from '../codenow/install-codenow-errors.js'
import type { RouteContext } from '../http/route-context.js'
import { registerCodenowApplicationRoutes } from './codenow-application-routes.js'
import { registerCodenowPackageRoutes } from './codenow-package-routes.js'

export type { CodenowOptions } from '../codenow/codenow-options.js'

/**
 * The CodeNOW API in a scope of its own: its media type, its key header,
 * its rate limit and its error body, apart from the Cloud Foundry routes.
 */
export async function registerCodenowRoutes(
  app: FastifyInstance,
  context: RouteContext,
  options: CodenowOptions & { readonly bodyLimit: number; readonly now: () => number },
): Promise<void> {
  await app.register(
    (scope, _options, done) => {
      installCodenowErrors(scope, options.bodyLimit)
      installCodenowAuth(scope, {
        apiKeys: options.apiKeys,
        requestsPerMinute: options.requestsPerMinute ?? DEFAULT_CODENOW_REQUESTS_PER_MINUTE,
        now: options.now,
      })
      registerCodenowApplicationRoutes(scope, context)
      registerCodenowPackageRoutes(scope, context)
      done()
    },
    { prefix: '/applications' },
  )
}
