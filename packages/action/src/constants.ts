/**
 * The action's public contract: input and output names exactly as `action.yml`
 * declares them (a test keeps the two in sync), allowed values and defaults.
 *
 * @module
 */

/** The packwright version this action is (`package.json`; a test keeps the two equal). */
export const PACKWRIGHT_VERSION = '0.1.0'

/** Input names, as declared in `action.yml`. */
export const INPUTS = {
  spicepod: 'spicepod',
  path: 'path',
  include: 'include',
  exclude: 'exclude',
  from: 'from',
  name: 'name',
  uploadArtifact: 'upload-artifact',
  retentionDays: 'retention-days',
  compressionLevel: 'compression-level',
  overwrite: 'overwrite',
  ifEmpty: 'if-empty',
  githubToken: 'github-token',
  release: 'release',
  releaseDraft: 'release-draft',
  releaseName: 'release-name',
  provenance: 'provenance',
} as const

/** Output names, as declared in `action.yml`. */
export const OUTPUTS = {
  packagePath: 'package-path',
  packageSha256: 'package-sha256',
  contentDigest: 'content-digest',
  packageSize: 'package-size',
  fileCount: 'file-count',
  artifactName: 'artifact-name',
  artifactId: 'artifact-id',
  artifactUrl: 'artifact-url',
  artifactDigest: 'artifact-digest',
  releaseId: 'release-id',
  releaseUrl: 'release-url',
  assetUrl: 'asset-url',
  checksumAssetUrl: 'checksum-asset-url',
  provenanceAssetUrl: 'provenance-asset-url',
  provenancePath: 'provenance-path',
} as const

export type InputName = (typeof INPUTS)[keyof typeof INPUTS]
export type OutputName = (typeof OUTPUTS)[keyof typeof OUTPUTS]

/** Values accepted by `if-empty`. */
export const IF_EMPTY_VALUES = ['error', 'warn'] as const
export type IfEmpty = (typeof IF_EMPTY_VALUES)[number]

/** Values accepted by `release`: `auto` attaches the package to a release on tag pushes only. */
export const RELEASE_VALUES = ['auto', 'true', 'false'] as const
export type ReleaseWhen = (typeof RELEASE_VALUES)[number]

/** Placeholders accepted in the `name` template. */
export const NAME_PLACEHOLDERS = ['repo', 'sha', 'sha7', 'ref'] as const
export type NamePlaceholder = (typeof NAME_PLACEHOLDERS)[number]

/** Defaults for inputs left empty (they match the `default:` values in `action.yml`). */
export const DEFAULTS = {
  name: '{repo}-{sha7}',
  uploadArtifact: true,
  compressionLevel: 6,
  overwrite: false,
  ifEmpty: 'error',
  release: 'auto',
  releaseDraft: false,
  provenance: true,
} as const satisfies Record<string, unknown>

/** Compression levels accepted by `compression-level`. */
export const COMPRESSION_LEVEL_RANGE = { min: 0, max: 9 } as const

/** Retention accepted by `retention-days`; 0 (or empty) keeps the repository's default. */
export const RETENTION_DAYS_RANGE = { min: 0, max: 90 } as const

/**
 * Characters the artifact service refuses in an artifact name (the same table
 * `@actions/artifact` checks before it sends a request), each with a readable label.
 */
export const FORBIDDEN_NAME_CHARACTERS: ReadonlyMap<string, string> = new Map([
  ['"', 'double quote "'],
  [':', 'colon :'],
  ['<', 'less than <'],
  ['>', 'greater than >'],
  ['|', 'vertical bar |'],
  ['*', 'asterisk *'],
  ['?', 'question mark ?'],
  ['\r', 'carriage return \\r'],
  ['\n', 'line feed \\n'],
  ['\\', 'backslash \\'],
  ['/', 'forward slash /'],
])

/** How many of the largest files the job summary lists. */
export const SUMMARY_LARGEST_FILES = 10
