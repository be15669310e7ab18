/**
 * A Cloud Foundry package as the metadata store keeps it, and the changes a
 * state transition makes. Its own file because both the MetadataStore and
 * the ApplicationStore (CodeNOW packages are packages too) speak of it.
 *
 * @module
 */

export type PackageType = 'bits' | 'docker'

export const PACKAGE_STATES = [
  'AWAITING_UPLOAD',
  'PROCESSING_UPLOAD',
  'READY',
  'FAILED',
  'COPYING',
  'EXPIRED',
] as const

export type PackageState = (typeof PACKAGE_STATES)[number]

export interface DockerImageRecord {
  readonly image: string
  readonly username: string | null
  /** Kept for staging; never presented. */
  readonly password: string | null
}

export interface PackageRecord {
  readonly guid: string
  readonly appGuid: string
  readonly type: PackageType
  readonly state: PackageState
  /** Digests of the final package zip, once it is READY. */
  readonly sha1: string | null
  readonly sha256: string | null
  /** Why the package FAILED. */
  readonly error: string | null
  readonly docker: DockerImageRecord | null
  readonly labels: Readonly<Record<string, string>>
  readonly annotations: Readonly<Record<string, string>>
  readonly createdAt: string
  /** Null until the record is first changed. */
  readonly updatedAt: string | null
}

/** The fields a state transition may set together with the new state. */
export interface PackageChanges {
  readonly state: PackageState
  readonly sha1?: string | null
  readonly sha256?: string | null
  readonly error?: string | null
  readonly updatedAt: string
}
