/**
 * @packwright/core: turn a source into a deterministic zip package with a
 * resource manifest; read, validate, match and rebuild packages.
 *
 * @module
 */

// Errors and logging
export { ERROR_CODES, PackwrightError, isPackwrightError } from './errors.js'
export type { ErrorCode, PackwrightErrorOptions } from './errors.js'
export { noopLogger } from './logger.js'
export type { Logger } from './logger.js'

// Sources
export type { ReadOptions, SourceEntry, SourceReader } from './source/source-reader.js'

// Packages and manifests
export type { PlannedEntry } from './package/package-entry.js'
export { modeFor } from './manifest/resource-manifest.js'
export type { EntryMode, ResourceEntry, ResourceManifest } from './manifest/resource-manifest.js'
