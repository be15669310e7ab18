import { randomUUID } from 'node:crypto'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import multipart from '@fastify/multipart'
import type { ZipLimits } from '@packwright/core'
import swagger from '@fastify/swagger'
import Fastify, { type FastifyInstance, type FastifyServerOptions, LogController } from 'fastify'
import { createAssemblyQueue } from './assembly/assembly-queue.js'
import { recoverInterruptedWork } from './assembly/recover-interrupted-work.js'
import type { AccessToken } from './auth/access-token.js'
import { installBearerAuth } from './auth/install-bearer-auth.js'
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_MINIMUM_MATCHABLE_SIZE } from './config/server-config.js'
import { cfErrors } from './http/cf-errors.js'
import { answerRouterError, installErrorEnvelope } from './http/install-error-envelope.js'
import type { RouteContext } from './http/route-context.js'
import { installRequestLog } from './logging/install-request-log.js'
import { registerAppRoutes } from './routes/app-routes.js'
import { type CodenowOptions, registerCodenowRoutes } from './routes/codenow-routes.js'
import { registerJobRoute } from './routes/job-route.js'
import { registerLegacyAppPackageRoute } from './routes/legacy-app-package-route.js'
import { registerOpenApiRoute } from './routes/openapi-route.js'
import { registerPackageBitsRoutes } from './routes/package-bits-routes.js'
import { registerPackageRoutes } from './routes/package-routes.js'
import { registerResourceMatchRoute } from './routes/resource-match-route.js'
import { registerSpiceGenerateRoute } from './routes/spice-generate-route.js'
import {
  type SpiceGenerateSettings,
  spiceGeneratorOptions,
} from './spice/spice-generate-settings.js'
import { createSpicePackageGenerator } from './spice/spice-package-generator.js'
import { registerUploadRoute } from './routes/upload-route.js'
import type { ServerStorage } from './storage/server-storage.js'

export interface CreateServerOptions {
  readonly storage: ServerStorage
  /** The tokens accepted, already hashed (see resolveAccessTokens). */
  readonly tokens: readonly AccessToken[]
  /** The URL clients reach the server at, for links; default: from each request's Host. */
  readonly externalUrl?: string
  /** Largest request body, in bytes. @default 1.5 GiB (Cloud Foundry's nginx) */
  readonly bodyLimitBytes?: number
  /** Smallest file size resource matching looks up, inclusive. @default 1 */
  readonly minimumMatchableSize?: number
  /** Largest file size resource matching looks up, inclusive. @default no limit */
  readonly maximumMatchableSize?: number
  /**
   * Folder uploads stream to and packages are assembled in; keep it on the
   * data folder's file system. @default `packwright-uploads` in the OS temp folder
   */
  readonly uploadFolder?: string
  /** How long an upload waits for assembly before answering 202 with a job. @default 10 s */
  readonly assemblyBudgetMs?: number
  /**
   * Worker threads deflating each package being assembled (0: on the server's
   * own thread). Threads make a large assembly faster (a 1 GiB package: about
   * 19 s with threads, 25 s without) but cost about 40 MiB more per assembly
   * (peak RSS 143 vs 187 MiB); the bytes never change.
   * @default 0
   */
  readonly assemblyThreads?: number
  /**
   * Assemblies that run at once; later uploads wait their turn (inside their
   * budget, or behind a 202 job). Each holds some 20-60 MiB while it runs.
   * @default the number of CPUs, at most 4
   */
  readonly maxConcurrentAssemblies?: number
  /** Largest `resources` field of an upload, in bytes. @default 64 MiB */
  readonly maxResourcesFieldBytes?: number
  /** Limits every uploaded zip and assembled package stay within. @default core's DEFAULT_ZIP_LIMITS */
  readonly zipLimits?: Partial<ZipLimits>
  /** Smallest uploaded file that enters the resource pool, inclusive. @default 1 */
  readonly minimumPoolableSize?: number
  /** Largest uploaded file that enters the resource pool, inclusive. @default 512 MiB */
  readonly maximumPoolableSize?: number
  /**
   * A connection that sends nothing for this long is closed; an upload it
   * carried is discarded. @default 120 s
   */
  readonly idleTimeoutMs?: number
  /** Spice's `POST /v1/packages/generate`: the GitHub host, a default token, the cache. */
  readonly spice?: SpiceGenerateSettings
  /**
   * Fastify's logger setting (pino). The Authorization header is always
   * redacted. @default false
   */
  readonly logger?: FastifyServerOptions['logger']
  /** CodeNOW application packages: the API keys and their rate. Without it every key is refused. */
  readonly codenow?: CodenowOptions
  /** The clock, for tests. */
  readonly now?: () => Date
}

const DEFAULT_ASSEMBLY_THREADS = 0
const DEFAULT_ASSEMBLY_BUDGET_MS = 10_000
const DEFAULT_IDLE_TIMEOUT_MS = 120_000
const DEFAULT_MAX_RESOURCES_FIELD_BYTES = 64 * 1024 ** 2
/** Cloud Foundry's resource_pool.maximum_size. */
const DEFAULT_MAXIMUM_POOLABLE_SIZE = 512 * 1024 ** 2

/** Where a log line may carry request headers; all are redacted. */
const REDACTED_PATHS = [
  'req.headers.authorization',
  'request.headers.authorization',
  'headers.authorization',
  'req.headers["x-codenow-api-key"]',
  'request.headers["x-codenow-api-key"]',
  'headers["x-codenow-api-key"]',
]

function loggerOption(logger: CreateServerOptions['logger']): FastifyServerOptions['logger'] {
  if (logger === undefined || logger === false) return false
  const base = logger === true ? {} : logger
  return { ...base, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }
}

/** Cloud Foundry's timestamps: seconds, UTC, `Z`. */
function cfTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d+Z$/, 'Z')
}

/**
 * Builds the package server as a Fastify instance without listening, so tests
 * drive it with `inject()` and `packwright serve` calls `listen()`.
 */
export async function createServer(options: CreateServerOptions): Promise<FastifyInstance> {
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES
  const app = Fastify({
    logger: loggerOption(options.logger),
    bodyLimit,
    connectionTimeout: options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    // Long enough for any guid a client may send; past it the router answers 404.
    routerOptions: { maxParamLength: 1024 },
    frameworkErrors: answerRouterError,
    // One line per request instead of Fastify's two (see installRequestLog).
    logController: new LogController({ disableRequestLogging: true }),
  })

  // Requests are checked by the message validators (Cloud Foundry's exact
  // messages); the route schemas describe them for the OpenAPI document.
  app.setValidatorCompiler(() => (value: unknown) => ({ value }))
  // Answers are sent as built: the schemas document them, they do not filter them.
  app.setSerializerCompiler(() => (value) => JSON.stringify(value))

  // Only JSON bodies are accepted; any other content type answers 415.
  app.removeContentTypeParser('text/plain')
  // Cloud Controller read the body as JSON whatever form content type a
  // client declared (the experimental API's documented request, made with curl -d, says x-www-form-urlencoded).
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      try {
        done(null, JSON.parse(body as string) as unknown)
      } catch {
        done(cfErrors.messageParseError('invalid request body'), undefined)
      }
    },
  )

  installErrorEnvelope(app, bodyLimit)
  installBearerAuth(app, options.tokens)
  installRequestLog(app)

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'packwright package server',
        description:
          'Cloud Foundry v3 packages and resource matching. Every error answers in the v3 envelope {"errors":[{"detail","title","code"}]}, except Spice\'s POST /v1/packages/generate, which answers {"error","code"}.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      },
      security: [{ bearer: [] }],
    },
  })

  const now = options.now ?? (() => new Date())
  const minimum = options.minimumMatchableSize ?? DEFAULT_MINIMUM_MATCHABLE_SIZE
  const maximum = options.maximumMatchableSize
  const timestamp = () => cfTimestamp(now())
  const uploadFolder = options.uploadFolder ?? join(tmpdir(), 'packwright-uploads')
  // Before any request: end what a stopped or killed server left half done.
  const recovered = await recoverInterruptedWork(options.storage, timestamp)
  if (Object.values(recovered).some((count) => count > 0)) {
    app.log.info({ recovered }, 'ended work a stopped server left unfinished')
  }
  const assemblyQueue = createAssemblyQueue(
    options.maxConcurrentAssemblies ?? Math.min(4, availableParallelism()),
  )
  // On close: assemblies still waiting fail (their packages say why), running ones finish.
  app.addHook('onClose', () => assemblyQueue.close())
  const context: RouteContext = {
    storage: options.storage,
    timestamp,
    newGuid: randomUUID,
    baseUrl: (request) => options.externalUrl ?? `${request.protocol}://${request.host}`,
    uploads: {
      folder: uploadFolder,
      maxBitsBytes: bodyLimit,
      maxResourcesBytes: options.maxResourcesFieldBytes ?? DEFAULT_MAX_RESOURCES_FIELD_BYTES,
      assemblyBudgetMs: options.assemblyBudgetMs ?? DEFAULT_ASSEMBLY_BUDGET_MS,
      queue: assemblyQueue,
      assembly: {
        storage: options.storage,
        workFolder: uploadFolder,
        zipLimits: options.zipLimits,
        threads: options.assemblyThreads ?? DEFAULT_ASSEMBLY_THREADS,
        poolSizes: {
          minimum: options.minimumPoolableSize ?? 1,
          maximum: options.maximumPoolableSize ?? DEFAULT_MAXIMUM_POOLABLE_SIZE,
        },
        timestamp,
        logError: (error) => app.log.error({ err: error }, 'package assembly failed unexpectedly'),
      },
    },
    matching: {
      // core's bounds are strict, as Cloud Foundry's; ours are inclusive.
      minimumSize: minimum - 1,
      maximumSize: maximum === undefined ? Number.POSITIVE_INFINITY : maximum + 1,
    },
  }
  registerAppRoutes(app, context)
  registerPackageRoutes(app, context)
  registerLegacyAppPackageRoute(app, context)
  registerResourceMatchRoute(app, context)
  // Only the upload takes multipart; everywhere else it stays 415. Its parts
  // stream, and the zip part is bounded by the body limit.
  await app.register(async (uploadScope) => {
    await uploadScope.register(multipart, {
      limits: { fileSize: bodyLimit },
      throwFileSizeLimit: true,
    })
    registerUploadRoute(uploadScope, context)
  })
  registerJobRoute(app, context)
  registerPackageBitsRoutes(app, context)
  registerSpiceGenerateRoute(
    app,
    createSpicePackageGenerator(
      spiceGeneratorOptions(
        options.spice,
        options.storage,
        join(uploadFolder, 'generate'),
        timestamp,
      ),
    ),
  )
  await registerCodenowRoutes(app, context, {
    apiKeys: options.codenow?.apiKeys ?? [],
    requestsPerMinute: options.codenow?.requestsPerMinute,
    bodyLimit,
    now: () => now().getTime(),
  })
  registerOpenApiRoute(app)
  await app.ready()
  return app
}
