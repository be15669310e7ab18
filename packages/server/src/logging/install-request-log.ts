import type { FastifyInstance } from 'fastify'

/**
 * One log line per request, written when the answer has been sent: the
 * request and answer as the logger's serializers show them (method, URL,
 * status; the Authorization header is redacted) and the time taken.
 */
export function installRequestLog(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    request.log.info(
      { req: request, res: reply, responseTime: Math.round(reply.elapsedTime) },
      'request',
    )
    done()
  })
}
