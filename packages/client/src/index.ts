/**
 * @packwright/client: a typed client of the packwright server's Cloud
 * Foundry v3 routes, with retries, and `pushPackage`, which pushes a source
 * with resource matching.
 *
 * @module
 */

// The client of the server's routes
export { RESOURCE_MATCH_BATCH_SIZE, createPackwrightClient } from './packwright-client.js'
export type {
  DownloadedPackage,
  Metadata,
  PackwrightClient,
  PackwrightClientOptions,
  UploadOptions,
  UploadResult,
  WaitOptions,
} from './packwright-client.js'
export { FINAL_PACKAGE_STATES } from './cf-resources.js'
export type { CfApp, CfJob, CfList, CfMetadata, CfPackage, CfPackageState } from './cf-resources.js'
export type { HttpTimeouts, RetryEvent } from './http-transport.js'

// Retries
export {
  DEFAULT_RETRY_OPTIONS,
  isRetryableStatus,
  parseRetryAfter,
  resolveRetryPolicy,
  retryDelayMs,
} from './retry-policy.js'
export type { ResolvedRetryPolicy, RetryOptions } from './retry-policy.js'

// Pushing a source
export { pushPackage } from './push-package.js'
export type {
  PackagingOptions,
  PushPackageOptions,
  PushProgress,
  PushResult,
} from './push-package.js'
export { readGitCommitAnnotations } from './read-git-commit-annotations.js'

// Errors: the client's codes on core's PackwrightError
export { PUSH_ERROR_CODES, isPushErrorCode } from './push-errors.js'
export type { PushErrorCode } from './push-errors.js'
