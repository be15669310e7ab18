import type { FastifyRequest } from 'fastify'
import type { AssemblyOptions } from '../assembly/assemble-package.js'
import type { AssemblyQueue } from '../assembly/assembly-queue.js'
import type { ServerStorage } from '../storage/server-storage.js'

/** What every route needs from the server around it. */
export interface RouteContext {
  readonly storage: ServerStorage
  /** The current time as Cloud Foundry writes it: `2026-01-31T12:00:00Z`. */
  timestamp(): string
  newGuid(): string
  /** Absolute base URL for links, without a trailing slash. */
  baseUrl(request: FastifyRequest): string
  /** Bounds passed to core's matchResources (strict, as Cloud Foundry's). */
  readonly matching: { readonly minimumSize: number; readonly maximumSize: number }
  /** How uploads are received and assembled. */
  readonly uploads: {
    /** Folder uploaded zips stream to. */
    readonly folder: string
    readonly maxBitsBytes: number
    readonly maxResourcesBytes: number
    /** How long an upload request waits for assembly before answering 202. */
    readonly assemblyBudgetMs: number
    readonly assembly: AssemblyOptions
    /** Assemblies run a few at a time, in order of arrival. */
    readonly queue: AssemblyQueue
  }
}
