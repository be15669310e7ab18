import type { ResourceEntry, ResourceManifest } from '../manifest/resource-manifest.js'
import { type ResourceDescriptor, toResourceDescriptor } from './resource-descriptor.js'

export interface ResourceUploadPlanOptions {
  /**
   * Files smaller than this are always uploaded. Cloud Foundry's default is
   * 64 KiB; packwright matches files of any size unless told otherwise.
   * @default 0
   */
  readonly minimumSize?: number
  /**
   * Files larger than this are always uploaded (Cloud Foundry: 512 MiB).
   * @default Infinity
   */
  readonly maximumSize?: number
}

export interface ResourceUploadPlan {
  /** Entries that go into the upload zip (`bits`), sorted by path. */
  readonly upload: readonly ResourceEntry[]
  /** Entries the server already has, in wire format for the `resources` field. */
  readonly resources: readonly ResourceDescriptor[]
  readonly uploadBytes: number
  readonly matchedBytes: number
}

/**
 * Splits a package's manifest into what must be uploaded and what the server
 * can take from its resource pool, given the sha1s the server said it has
 * (the answer of `POST /v3/resource_matches`). Symlinks are always uploaded:
 * they are never pooled.
 */
export function planResourceUpload(
  manifest: ResourceManifest,
  knownSha1s: ReadonlySet<string>,
  options: ResourceUploadPlanOptions = {},
): ResourceUploadPlan {
  const minimumSize = options.minimumSize ?? 0
  const maximumSize = options.maximumSize ?? Number.POSITIVE_INFINITY
  const upload: ResourceEntry[] = []
  const resources: ResourceDescriptor[] = []
  let uploadBytes = 0
  let matchedBytes = 0
  for (const entry of manifest) {
    const matchable =
      entry.kind === 'file' &&
      entry.size >= minimumSize &&
      entry.size <= maximumSize &&
      knownSha1s.has(entry.sha1.toLowerCase())
    if (matchable) {
      resources.push(toResourceDescriptor(entry))
      matchedBytes += entry.size
    } else {
      upload.push(entry)
      uploadBytes += entry.size
    }
  }
  return { upload, resources, uploadBytes, matchedBytes }
}
