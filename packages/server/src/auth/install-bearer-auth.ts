import type { FastifyInstance } from 'fastify'
import { cfErrors } from '../http/cf-errors.js'
import { type Scope, grants } from './access-token.js'
import { createTokenVerifier } from './token-verifier.js'
import type { AccessToken } from './access-token.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The scope a route needs; routes without one are public. */
    requiredScope?: Scope
  }
}

const BEARER = /^bearer\s+(\S+)\s*$/i

/**
 * Checks the bearer token of every request to a route that names a
 * `requiredScope`, before its body is read: 401 CF-NotAuthenticated without
 * a token, 401 CF-InvalidAuthToken for one the server does not know, 403
 * CF-NotAuthorized when the token lacks the scope.
 */
export function installBearerAuth(app: FastifyInstance, tokens: readonly AccessToken[]): void {
  const verify = createTokenVerifier(tokens)
  app.addHook('onRequest', (request, _reply, done) => {
    const required = request.routeOptions.config.requiredScope
    if (required === undefined) {
      done()
      return
    }
    const header = request.headers.authorization
    if (header === undefined || header.trim() === '') {
      done(cfErrors.notAuthenticated())
      return
    }
    const presented = BEARER.exec(header)?.[1]
    const token = presented === undefined ? undefined : verify(presented)
    if (token === undefined) done(cfErrors.invalidAuthToken())
    else if (!grants(token.scopes, required)) done(cfErrors.notAuthorized())
    else done()
  })
}
