/**
 * Where the server keeps its records: apps, packages, jobs and the index of
 * the resource pool. The embedded default is SQLite; other databases
 * implement the same interface and pass the same contract suite.
 *
 * @module
 */

import type { ApplicationStore } from './application-store.js'
import type { GeneratedPackageIndex } from './generated-package-index.js'
import type { PackageChanges, PackageRecord, PackageState } from './package-record.js'

export type AppLifecycleType = 'buildpack' | 'docker'

export interface AppRecord {
  readonly guid: string
  readonly name: string
  readonly lifecycleType: AppLifecycleType
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly createdAt: string
  /** Null until the record is first changed. */
  readonly updatedAt: string | null
}

export {
  PACKAGE_STATES,
  type DockerImageRecord,
  type PackageChanges,
  type PackageRecord,
  type PackageState,
  type PackageType,
} from './package-record.js'

export type JobState = 'PROCESSING' | 'POLLING' | 'COMPLETE' | 'FAILED'

export interface JobRecord {
  readonly guid: string
  /** What the job does, e.g. `package.delete`. */
  readonly operation: string
  readonly state: JobState
  /** The resource the job acts on, for the job's links. */
  readonly resourceType: string | null
  readonly resourceGuid: string | null
  /** v3 error objects of a FAILED job. */
  readonly errors: readonly {
    readonly detail: string
    readonly title: string
    readonly code: number
  }[]
  readonly createdAt: string
  readonly updatedAt: string | null
}

export interface JobChanges {
  readonly state: JobState
  readonly errors?: JobRecord['errors']
  readonly updatedAt: string
}

export type SortField = 'created_at' | 'updated_at'

export interface ListOrder {
  readonly field: SortField
  readonly descending: boolean
}

export interface PageRequest {
  /** 1-based. */
  readonly page: number
  readonly perPage: number
  readonly order: ListOrder
}

export interface Page<T> {
  readonly totalResults: number
  readonly items: readonly T[]
}

export interface AppFilter {
  /** Exact names; an empty list matches nothing. */
  readonly names?: readonly string[]
  readonly guids?: readonly string[]
}

export interface PackageFilter {
  readonly guids?: readonly string[]
  readonly states?: readonly string[]
  readonly types?: readonly string[]
  readonly appGuids?: readonly string[]
}

export interface PoolEntry {
  readonly sha1: string
  readonly size: number
}

/**
 * Apps, packages, jobs, the pool index, CodeNOW applications (see
 * ApplicationStore) and generated packages (see GeneratedPackageIndex).
 */
export interface MetadataStore extends ApplicationStore, GeneratedPackageIndex {
  /** Fails with INVALID_ARGUMENT when an app of that name exists. */
  createApp(app: AppRecord): Promise<void>
  getApp(guid: string): Promise<AppRecord | undefined>
  listApps(filter: AppFilter, page: PageRequest): Promise<Page<AppRecord>>

  createPackage(record: PackageRecord): Promise<void>
  getPackage(guid: string): Promise<PackageRecord | undefined>
  listPackages(filter: PackageFilter, page: PageRequest): Promise<Page<PackageRecord>>
  /**
   * Moves a package from `from` to `changes.state` atomically: answers the
   * updated record, or undefined when the package is missing or no longer in
   * `from` (someone else moved it first).
   */
  transitionPackage(
    guid: string,
    from: PackageState,
    changes: PackageChanges,
  ): Promise<PackageRecord | undefined>

  /** Removes a package record; answers the removed record, or undefined when there was none. */
  deletePackage(guid: string): Promise<PackageRecord | undefined>
  /**
   * How many packages and generated packages name this package zip (sha256),
   * to know when its blob is unused.
   */
  countPackagesWithSha256(sha256: string): Promise<number>

  createJob(job: JobRecord): Promise<void>
  getJob(guid: string): Promise<JobRecord | undefined>
  updateJob(guid: string, changes: JobChanges): Promise<JobRecord | undefined>
  /**
   * Jobs still PROCESSING or POLLING, oldest first: at startup, the work a
   * stopped server left unfinished (few by nature: only work in flight).
   */
  listUnfinishedJobs(): Promise<JobRecord[]>

  /** Records that the pool holds a blob; a second add of the same sha1 is a no-op. */
  addPoolEntry(entry: PoolEntry): Promise<void>
  getPoolEntry(sha1: string): Promise<PoolEntry | undefined>
  /**
   * The pool entries of those of `sha1s` the pool holds, in no particular
   * order: one lookup for a whole resource-match batch (up to 5000), not one
   * round trip per file.
   */
  findPoolEntries(sha1s: readonly string[]): Promise<PoolEntry[]>
  removePoolEntry(sha1: string): Promise<boolean>

  close(): Promise<void>
}
