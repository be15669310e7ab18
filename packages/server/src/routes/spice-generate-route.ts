import { type Logger, SPICE_FROM_INVALID_MESSAGE, isPackwrightError } from '@packwright/core'
import type { FastifyBaseLogger, FastifyInstance, FastifyReply } from 'fastify'
import { CfApiError } from '../http/cf-api-error.js'
import { type GenerateRequest, parseGenerateRequest } from '../spice/parse-generate-request.js'
import {
  type SpiceErrorAnswer,
  answerBuildFailure,
  answerInvalidRequest,
  answerServerError,
  answerUnexpected,
} from '../spice/spice-error-answer.js'
import type { SpicePackageGenerator } from '../spice/spice-package-generator.js'

/** The response header that carries the package's sha256 (lowercase hex). */
export const PACKAGE_SHA256_HEADER = 'x-package-sha256'

/** A generate request is a short JSON object; anything larger is refused before it is read. */
const GENERATE_BODY_LIMIT_BYTES = 64 * 1024

const errorSchema = {
  type: 'object',
  required: ['error', 'code'],
  properties: {
    error: { type: 'string', description: "Spice's first sentence, then the specifics" },
    code: { type: 'string', description: 'A stable packwright error code (docs/errors.md)' },
  },
} as const

const bodySchema = {
  type: 'object',
  required: ['from', 'params'],
  properties: {
    from: {
      type: 'string',
      description: 'The GitHub source: `github:{org}/{repo}/{sha}/{path_to_spicepod.yaml}`',
    },
    params: {
      type: 'object',
      description: 'Optional parameters; `github_token` is used for this request only',
      additionalProperties: { type: 'string' },
    },
  },
  examples: [{ from: 'github:myorg/myrepo/abc12345/spicepod.yaml', params: {} }],
} as const

function sendError(reply: FastifyReply, answer: SpiceErrorAnswer): FastifyReply {
  return reply.code(answer.status).type('application/json').send(answer.body)
}

/** Core's logger interface over the request's logger; core never hands it a token. */
function coreLogger(log: FastifyBaseLogger): Logger {
  return {
    debug: (message) => log.debug(message),
    info: (message) => log.debug(message),
    warn: (message) => log.warn(message),
  }
}

/** A short, safe description of the source for log lines: never the token. */
function describeSource({ source }: GenerateRequest): string {
  return `${source.owner}/${source.repo}@${source.ref}:${source.path}`
}

/**
 * `POST /v1/packages/generate` (Spice): `{"from": "github:…", "params":
 * {"github_token": "…"}}` → 200 `application/zip`, built by core as
 * `packwright generate github:…` builds it, streamed from storage, with its
 * sha256 in `X-Package-Sha256`. Errors answer Spice's `{"error"}` (plus
 * `code`): 400 for the request, 500 for a failed build. A client that goes
 * away stops the build it was the last to wait for.
 */
export function registerSpiceGenerateRoute(
  app: FastifyInstance,
  generator: SpicePackageGenerator,
): void {
  // Its own scope, so that every error of this route, auth and body parsing
  // included, answers in Spice's shape rather than Cloud Foundry's envelope.
  void app.register((scope, _options, done) => {
    scope.setErrorHandler(async (error: unknown, request, reply) => {
      if (error instanceof CfApiError) return sendError(reply, answerServerError(error))
      const status =
        error instanceof Error && 'statusCode' in error && typeof error.statusCode === 'number'
          ? error.statusCode
          : 500
      if (status === 413) {
        return sendError(reply, {
          status,
          body: {
            error: `The request body is larger than this endpoint accepts: at most ${GENERATE_BODY_LIMIT_BYTES} bytes.`,
            code: 'CF-RequestEntityTooLarge',
          },
        })
      }
      if (status === 415) {
        return sendError(reply, {
          status,
          body: {
            error: 'Expected request with `Content-Type: application/json`.',
            code: 'CF-UnsupportedMediaType',
          },
        })
      }
      if (status >= 400 && status < 500) {
        return sendError(reply, {
          status: 400,
          body: {
            error: 'Invalid request body: expected a JSON object with `from` and `params`.',
            code: 'CF-MessageParseError',
          },
        })
      }
      request.log.error({ err: error }, 'generate failed unexpectedly')
      return sendError(reply, answerUnexpected())
    })

    scope.post(
      '/v1/packages/generate',
      {
        bodyLimit: GENERATE_BODY_LIMIT_BYTES,
        config: { requiredScope: 'write' },
        schema: {
          summary: 'Generate a Spice package from GitHub',
          description:
            'Spice\'s Generate Package: the spicepod at `from` and every file it links, as a deterministic zip. Errors answer `{"error", "code"}`.',
          tags: ['spice'],
          body: bodySchema,
          produces: ['application/zip'],
          response: {
            200: {
              description:
                'The package zip; `X-Package-Sha256` holds its sha256, `Content-Disposition` a file name',
              type: 'string',
              format: 'binary',
            },
            400: {
              description: `Invalid request parameters, e.g. "${SPICE_FROM_INVALID_MESSAGE}"`,
              ...errorSchema,
            },
            401: { description: 'No or unknown bearer token', ...errorSchema },
            403: { description: 'The token lacks the write scope', ...errorSchema },
            500: { description: 'The package could not be built', ...errorSchema },
          },
        },
      },
      async (request, reply) => {
        let parsed: GenerateRequest
        try {
          parsed = parseGenerateRequest(request.body)
        } catch (error) {
          if (isPackwrightError(error)) return sendError(reply, answerInvalidRequest(error))
          throw error
        }
        // The client going away before the answer is sent stops the build.
        const controller = new AbortController()
        const onClose = () => {
          if (!reply.raw.writableEnded) controller.abort(new Error('client disconnected'))
        }
        reply.raw.once('close', onClose)
        const started = Date.now()
        try {
          const generated = await generator.generate(parsed, {
            signal: controller.signal,
            logger: coreLogger(request.log),
          })
          reply.raw.off('close', onClose)
          request.log.info(
            {
              source: describeSource(parsed),
              sha256: generated.sha256,
              size: generated.size,
              fromCache: generated.fromCache,
              ms: Date.now() - started,
            },
            'spice package generated',
          )
          const { source } = parsed
          return reply
            .type('application/zip')
            .header(
              'content-disposition',
              `attachment; filename="${source.repo}-${source.ref}.zip"`,
            )
            .header('content-length', generated.size)
            .header(PACKAGE_SHA256_HEADER, generated.sha256)
            .serializer((payload: unknown) => payload as string)
            .send(generated.body)
        } catch (error) {
          reply.raw.off('close', onClose)
          if (isPackwrightError(error, 'ABORTED') && controller.signal.aborted) {
            request.log.info({ source: describeSource(parsed) }, 'spice package build cancelled')
            // Nobody reads it (499: the client closed the request); it ends the request cleanly.
            return sendError(reply, {
              status: 499,
              body: { error: error.message, code: error.code },
            })
          }
          if (isPackwrightError(error)) {
            request.log.warn(
              { source: describeSource(parsed), code: error.code },
              'spice package build failed',
            )
            return sendError(reply, answerBuildFailure(error))
          }
          throw error
        }
      },
    )
    done()
  })
}
