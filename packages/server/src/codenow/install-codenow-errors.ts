import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify'
import { CodenowApiError, invalidRequest } from './codenow-api-error.js'
import { CODENOW_MEDIA_TYPE } from './codenow-media-type.js'

function frameworkCode(error: unknown): string | undefined {
  return error instanceof Error && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined
}

/** What a framework error about the request body becomes, or undefined for a real fault. */
function translateBodyError(error: FastifyError, bodyLimit: number): CodenowApiError | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_TYPE':
      return invalidRequest([
        { field: 'content-type', message: `must be ${CODENOW_MEDIA_TYPE} (or application/json)` },
      ])
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return invalidRequest([{ field: 'body', message: `must be at most ${bodyLimit} bytes` }])
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return invalidRequest([{ field: 'body', message: 'is not valid JSON' }])
    default:
      break
  }
  if (error instanceof SyntaxError)
    return invalidRequest([{ field: 'body', message: 'is not valid JSON' }])
  return undefined
}

function send(reply: FastifyReply, answer: CodenowApiError) {
  if (answer.retryAfterSeconds !== undefined) {
    void reply.header('retry-after', String(answer.retryAfterSeconds))
  }
  return reply.code(answer.status).type(CODENOW_MEDIA_TYPE).send(JSON.stringify(answer.toBody()))
}

/**
 * Inside the CodeNOW scope (under `/applications`): bodies of the vendor
 * media type parse as JSON, and every error answers in the vendor media type
 * as `{status, code, message, problems}`: 400 for anything wrong with the
 * request, 404 for a path that names no route, 429 with Retry-After, 500
 * (logged, never shown) for real faults.
 */
export function installCodenowErrors(scope: FastifyInstance, bodyLimit: number): void {
  scope.addContentTypeParser(
    CODENOW_MEDIA_TYPE,
    { parseAs: 'string' },
    scope.getDefaultJsonParser('error', 'error'),
  )
  scope.setErrorHandler(async (error: unknown, request, reply) => {
    let answer: CodenowApiError | undefined
    if (error instanceof CodenowApiError) answer = error
    else if (frameworkCode(error) !== undefined)
      answer = translateBodyError(error as FastifyError, bodyLimit)
    if (answer === undefined) {
      request.log.error({ err: error }, 'request failed unexpectedly')
      answer = new CodenowApiError(
        'CODENOW_INTERNAL_ERROR',
        'Something went wrong on the server; the request was not carried out. Try again later.',
      )
    }
    return send(reply, answer)
  })
  scope.setNotFoundHandler(async (_request, reply) =>
    send(
      reply,
      new CodenowApiError('CODENOW_NOT_FOUND', 'No such route: check the method and the path.', [
        { field: 'path', message: 'names no route of this API' },
      ]),
    ),
  )
}
