/**
 * Which package zip (by sha256, in the packages BlobStore) was generated for
 * a source that never changes: a repository at a commit, a manifest path in
 * it, read from one GitHub host. The key holds no secret.
 */
export interface GeneratedPackageRecord {
  /** See `generatedPackageKey`. */
  readonly sourceKey: string
  readonly sha256: string
  readonly size: number
  readonly createdAt: string
}

/** Where generated packages are found again; the MetadataStore implements it. */
export interface GeneratedPackageIndex {
  findGeneratedPackage(sourceKey: string): Promise<GeneratedPackageRecord | undefined>
  /** Records (or replaces) the package generated for `record.sourceKey`. */
  recordGeneratedPackage(record: GeneratedPackageRecord): Promise<void>
}
