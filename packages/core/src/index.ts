/**
 * @packwright/core: turn a source into a deterministic zip package with a
 * resource manifest; read, validate, match and rebuild packages.
 *
 * @module
 */

// Errors and logging
export { ERROR_CODES, PackwrightError, isPackwrightError, quoteInput } from './errors.js'
export type { ErrorCode, PackageErrorCodes, PackwrightErrorOptions } from './errors.js'
export { escapeControlCharacters } from './_internal/control-characters.js'
export { noopLogger } from './logger.js'
export type { Logger } from './logger.js'

// Sources: specs and the readers behind one interface
export {
  ACCEPTED_SOURCE_FORMS,
  SPICE_FROM_INVALID_MESSAGE,
  parseSourceSpec,
  parseSpiceFrom,
} from './source/parse-source-spec.js'
export type { ParseSourceSpecOptions } from './source/parse-source-spec.js'
export { formatSourceSpec } from './source/format-source-spec.js'
export type { SourceSpec } from './source/source-spec.js'
export type { ReadOptions, SourceEntry, SourceReader } from './source/source-reader.js'
export { createLocalFolderReader } from './source/local-folder-reader.js'
export type { LocalFolderReaderOptions } from './source/local-folder-reader.js'
export { createGitRepositoryReader } from './source/git-repository-reader.js'
export type { GitRepositoryReaderOptions } from './source/git-repository-reader.js'
export { createGitHubReader } from './source/github-reader.js'
export type { GitHubReaderOptions } from './source/github-reader.js'
export { DEFAULT_GITHUB_API_BASE_URL } from './source/github-request.js'
export { DEFAULT_GITHUB_TIMEOUTS } from './source/github-timeouts.js'
export type { GitHubTimeouts } from './source/github-timeouts.js'
export { openSourceReader } from './source/open-source-reader.js'
export type { OpenSourceReaderOptions, OpenedSource } from './source/open-source-reader.js'

// Planning: spicepod links and directory selection
export {
  DEFAULT_MAX_SPICEPOD_YAML_BYTES,
  SPICEPOD_MANIFEST_NAME,
  planSpicepodPackage,
} from './spicepod/plan-spicepod-package.js'
export type { PlanSpicepodPackageOptions } from './spicepod/plan-spicepod-package.js'
export { SPICEPOD_FIRST_SENTENCES, spiceMessageOf } from './spicepod/spicepod-error.js'
export type { SpicepodErrorCode } from './spicepod/spicepod-error.js'
export { SPICEPOD_VERSIONS } from './spicepod/validate-spicepod.js'
export {
  DEFAULT_FALLBACK_IGNORE_FILE_NAMES,
  DEFAULT_IGNORE_FILE_NAMES,
  selectDirectoryFiles,
} from './selection/select-directory-files.js'
export type { SelectDirectoryFilesOptions } from './selection/select-directory-files.js'
export { DEFAULT_IGNORED_NAMES } from './selection/default-ignored-names.js'

// Packages and manifests
export { generatePackage } from './package/generate-package.js'
export {
  PACKWRIGHT_ANNOTATION_PREFIX,
  PACKWRIGHT_ANNOTATIONS,
} from './package/package-annotations.js'
export type { PackwrightAnnotation } from './package/package-annotations.js'
export type {
  GeneratePackageOptions,
  GeneratedPackage,
  GitHubAccess,
  PackageProgress,
} from './package/generate-package-options.js'
export { plannedEntryFor } from './plan/planned-entry.js'
export type { PlannedEntry } from './plan/planned-entry.js'
export { modeFor } from './manifest/resource-manifest.js'
export type { EntryMode, ResourceEntry, ResourceManifest } from './manifest/resource-manifest.js'
export { ResourceList } from './manifest/resource-list.js'
export {
  CONTENT_MANIFEST_HEADER,
  ContentManifest,
  computeContentDigest,
} from './manifest/content-manifest.js'
export type { ContentEntry, ContentManifestEntry } from './manifest/content-manifest.js'
export { compareContentManifests } from './manifest/compare-content-manifests.js'
export type {
  ChangedContentEntry,
  ContentComparison,
  ContentDifference,
} from './manifest/compare-content-manifests.js'

// Provenance: an in-toto statement (SLSA Provenance v1) about a package
export {
  IN_TOTO_STATEMENT_TYPE,
  PACKWRIGHT_ACTION_BUILDER_ID,
  PACKWRIGHT_BUILD_TYPE,
  PACKWRIGHT_CLI_BUILDER_ID,
  SLSA_PROVENANCE_PREDICATE_TYPE,
} from './provenance/provenance-statement.js'
export type {
  DigestSet,
  PackwrightExternalParameters,
  PackwrightInternalParameters,
  ProvenanceResourceDescriptor,
  ProvenanceStatement,
} from './provenance/provenance-statement.js'
export { buildProvenanceStatement } from './provenance/build-provenance-statement.js'
export type {
  ProvenancePackagingOptions,
  ProvenanceStatementInput,
} from './provenance/build-provenance-statement.js'
export { formatProvenanceStatement } from './provenance/format-provenance-statement.js'

// Resource matching (Cloud Foundry semantics), in both directions
export { toResourceDescriptor } from './matching/resource-descriptor.js'
export type { ResourceDescriptor } from './matching/resource-descriptor.js'
export { planResourceUpload } from './matching/plan-resource-upload.js'
export type {
  ResourceUploadPlan,
  ResourceUploadPlanOptions,
} from './matching/plan-resource-upload.js'
export { matchResources } from './matching/match-resources.js'
export type { MatchResourcesOptions } from './matching/match-resources.js'
export { createRebuildSource } from './matching/create-rebuild-source.js'
export type { RebuildSource, RebuildSourceOptions } from './matching/create-rebuild-source.js'
export type { ResourcePool } from './matching/resource-pool.js'

// Deterministic zip writing
export { writeDeterministicZip } from './zip/write/write-deterministic-zip.js'
export type {
  WriteZipOptions,
  WriteZipProgress,
  WrittenZip,
} from './zip/write/write-deterministic-zip.js'

// Zip paths
export { ancestorDirectories, assertZipPath, findZipPathProblem } from './zip/zip-path.js'
export type { ZipPathProblem } from './zip/zip-path.js'

// Zip reading and validation
export { openZip } from './zip/read/open-zip.js'
export { readZipContent } from './zip/read/read-zip-content.js'
export type { OpenZipEntryOptions, OpenZipOptions, ZipArchive } from './zip/read/open-zip.js'
export { MAX_SYMLINK_TARGET_BYTES, assertValidZip, validateZip } from './zip/read/validate-zip.js'
export type { ValidateZipOptions } from './zip/read/validate-zip.js'
export type {
  InspectedEntry,
  ZipProblem,
  ZipValidationReport,
} from './zip/read/validate-zip-report.js'
export type { ZipEntryInfo, ZipEntryKind } from './zip/read/zip-entry-info.js'
export { DEFAULT_ZIP_LIMITS, resolveZipLimits } from './zip/read/zip-limits.js'
export type { ZipLimits } from './zip/read/zip-limits.js'
