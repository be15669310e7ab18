import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { CfApiError } from './cf-api-error.js'
import { cfErrors } from './cf-errors.js'

function isFastifyError(error: unknown): error is FastifyError {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
}

/** What the framework's own errors (body parsing and limits) become for a client. */
function translateFrameworkError(error: FastifyError, bodyLimit: number): CfApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return cfErrors.messageParseError('invalid request body')
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return cfErrors.requestEntityTooLarge(bodyLimit)
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return undefined
    default:
      break
  }
  if (error instanceof SyntaxError) return cfErrors.messageParseError('invalid request body')
  // Any other client error the framework raises is still the client's: never a 500.
  const status = error.statusCode
  if (status !== undefined && status >= 400 && status < 500) return cfErrors.invalidRequest(status)
  return undefined
}

/**
 * The router's own errors, which reach neither route nor error handler: a URL
 * that does not decode is invalid, a path parameter past the length limit
 * names nothing.
 */
export function answerRouterError(
  error: FastifyError,
  _request: FastifyRequest,
  reply: FastifyReply,
): void {
  const answer =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? cfErrors.notFound() : cfErrors.invalidRequest()
  void reply.code(answer.status).type('application/json').send(answer.toEnvelope())
}

/**
 * Every error leaves the server in the v3 envelope: thrown CfApiErrors as
 * they are, the framework's parse and limit errors translated, unknown routes
 * as CF-NotFound, and anything unexpected as CF-UnknownError (logged, never
 * shown). No response ever carries a stack trace.
 */
export function installErrorEnvelope(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler(async (error: unknown, request, reply) => {
    let answer: CfApiError | undefined
    if (request.is404) {
      // No route matched: whatever went wrong reading the body, the answer is 404.
      answer = cfErrors.notFound()
    } else if (error instanceof CfApiError) {
      answer = error
    } else if (isFastifyError(error)) {
      if (
        error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ||
        error.code === 'FST_ERR_CTP_INVALID_TYPE'
      ) {
        answer = cfErrors.unsupportedMediaType(request.headers['content-type'])
      } else {
        answer = translateFrameworkError(error, bodyLimit)
      }
    }
    if (answer === undefined) {
      request.log.error({ err: error }, 'request failed unexpectedly')
      answer = cfErrors.unknownError()
    }
    return reply.code(answer.status).type('application/json').send(answer.toEnvelope())
  })
  app.setNotFoundHandler(async (_request, reply) => {
    const answer = cfErrors.notFound()
    return reply.code(answer.status).type('application/json').send(answer.toEnvelope())
  })
}
