/**
 * @packwright/server: the package server. Cloud Foundry v3 apps, packages
 * and resource matching, Spice's generate endpoint and CodeNOW application
 * packages, over storage behind two interfaces.
 *
 * @module
 */

// The server
export { createServer } from './create-server.js'
export type { CreateServerOptions } from './create-server.js'
export { CfApiError } from './http/cf-api-error.js'
export type { CfErrorEnvelope } from './http/cf-api-error.js'
export { formatLogLine } from './logging/format-log-line.js'

// Auth and config
export { SCOPES, grants, hashToken } from './auth/access-token.js'
export type { AccessToken, Scope } from './auth/access-token.js'
export { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_MINIMUM_MATCHABLE_SIZE } from './config/server-config.js'
export type { ServerConfig } from './config/server-config.js'
export { parseServerConfig } from './config/parse-server-config.js'
export { loadServerConfig } from './config/load-server-config.js'
export { resolveAccessTokens } from './config/resolve-access-tokens.js'

// Spice's generate endpoint
export { PACKAGE_SHA256_HEADER } from './routes/spice-generate-route.js'
export type { SpiceConfig } from './config/server-config.js'
export type { SpiceGenerateSettings } from './spice/spice-generate-settings.js'
export { loadSpiceSettings } from './spice/load-spice-settings.js'
export type {
  GeneratedPackageIndex,
  GeneratedPackageRecord,
} from './storage/generated-package-index.js'

// CodeNOW application packages and the annotations they read
export { ALL_APPLICATIONS, resolveCodenowApiKeys } from './codenow/codenow-api-key.js'
export type { CodenowApiKey } from './codenow/codenow-api-key.js'
export { DEFAULT_CODENOW_REQUESTS_PER_MINUTE } from './codenow/codenow-options.js'
export type { CodenowOptions } from './codenow/codenow-options.js'
export { CODENOW_ERROR_CODES } from './codenow/codenow-api-error.js'
export type {
  CodenowErrorBody,
  CodenowErrorCode,
  CodenowProblem,
} from './codenow/codenow-api-error.js'
export { CODENOW_API_KEY_HEADER, CODENOW_MEDIA_TYPE } from './codenow/codenow-media-type.js'
export { VERSION_ANNOTATION_KEYS } from './annotations/packwright-annotations.js'
export type {
  ApplicationComponentRecord,
  ApplicationPackageLabel,
  ApplicationPackageRecord,
  ApplicationRecord,
  ApplicationStore,
  CommitPersonRecord,
  CommitRecord,
  LabelColor,
  PackageVersionQuery,
} from './storage/application-store.js'

// Storage: the two interfaces and the embedded defaults
export type {
  BlobDigestAlgorithm,
  BlobStore,
  PutBlobOptions,
  StoredBlob,
} from './storage/blob-store.js'
export { PACKAGE_STATES } from './storage/metadata-store.js'
export type {
  AppFilter,
  AppLifecycleType,
  AppRecord,
  DockerImageRecord,
  JobChanges,
  JobRecord,
  JobState,
  ListOrder,
  MetadataStore,
  PackageChanges,
  PackageFilter,
  PackageRecord,
  PackageState,
  PackageType,
  Page,
  PageRequest,
  PoolEntry,
  SortField,
} from './storage/metadata-store.js'
export type { ServerStorage } from './storage/server-storage.js'
export { DEFAULT_DATA_FOLDER, dataFolderLayout } from './storage/data-folder.js'
export type { DataFolderLayout } from './storage/data-folder.js'
export { openEmbeddedStorage } from './storage/open-embedded-storage.js'
export { createDiskBlobStore } from './storage/disk/disk-blob-store.js'
export type { DiskBlobStoreOptions } from './storage/disk/disk-blob-store.js'
export { openSqliteMetadataStore } from './storage/sqlite/sqlite-metadata-store.js'
export type { SqliteMetadataStoreOptions } from './storage/sqlite/sqlite-metadata-store.js'
