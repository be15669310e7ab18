/**
 * CodeNOW applications and their application packages, as the metadata
 * store keeps them. Part of MetadataStore; a separate file because it is a
 * concept of its own.
 *
 * @module
 */

import type { PackageRecord, PackageState } from './package-record.js'

export interface ApplicationRecord {
  /** Chosen by the client; unique. */
  readonly id: string
  readonly name: string
  readonly createdAt: string
}

export type LabelColor = 'red' | 'yellow' | 'blue' | 'green' | 'black'

export interface ApplicationPackageLabel {
  readonly id: string
  readonly text: string
  readonly color: LabelColor
}

export interface CommitPersonRecord {
  readonly name: string | null
  readonly email: string | null
  /** ISO 8601, as recorded. */
  readonly date: string | null
}

export interface CommitRecord {
  readonly id: string
  readonly message: string | null
  readonly author: CommitPersonRecord | null
  readonly committer: CommitPersonRecord | null
}

/**
 * One component of an application package: the package it resolved to when
 * the application package was created, with what that package recorded of
 * its build, kept as it was then.
 */
export interface ApplicationComponentRecord {
  /** As the client named the app: its name or its guid. */
  readonly componentId: string
  readonly version: string
  readonly appGuid: string
  readonly packageGuid: string
  /** The docker image of a docker package; null for bits. */
  readonly dockerImage: string | null
  readonly branch: string | null
  readonly commit: CommitRecord | null
}

export interface ApplicationPackageRecord {
  readonly applicationId: string
  /** Unique per application. */
  readonly version: string
  readonly basePackageVersion: string | null
  readonly archived: boolean
  readonly preview: boolean
  readonly components: readonly ApplicationComponentRecord[]
  readonly labels: readonly ApplicationPackageLabel[]
  readonly createdAt: string
}

/** What names a package's version: the first of `versionKeys` its annotations carry. */
export interface PackageVersionQuery {
  readonly appGuid: string
  readonly state: PackageState
  /** Annotation keys, tried in order. */
  readonly versionKeys: readonly string[]
  readonly version: string
}

export interface ApplicationStore {
  /** Fails with INVALID_ARGUMENT (details.conflict `application`) when the id is taken. */
  createApplication(application: ApplicationRecord): Promise<void>
  getApplication(id: string): Promise<ApplicationRecord | undefined>

  /**
   * Fails with INVALID_ARGUMENT (details.conflict `application-package`) when
   * the application already has a package of that version, and (details.conflict
   * `application`) when the application does not exist.
   */
  createApplicationPackage(record: ApplicationPackageRecord): Promise<void>
  getApplicationPackage(
    applicationId: string,
    version: string,
  ): Promise<ApplicationPackageRecord | undefined>
  /** Oldest first; archived packages only when asked. */
  listApplicationPackages(
    applicationId: string,
    options: { readonly includeArchived: boolean },
  ): Promise<readonly ApplicationPackageRecord[]>

  /** The newest package of an app in that state whose version is `version`. */
  findPackageByVersion(query: PackageVersionQuery): Promise<PackageRecord | undefined>
}
