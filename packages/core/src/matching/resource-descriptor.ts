import type { ResourceEntry } from '../manifest/resource-manifest.js'

/**
 * One resource in Cloud Foundry's v3 wire format, as sent to
 * `POST /v3/resource_matches` and in the upload's `resources` field.
 */
export interface ResourceDescriptor {
  readonly checksum: { readonly value: string }
  readonly size_in_bytes: number
  readonly path: string
  readonly mode: string
}

/** The wire descriptor of one manifest entry (its sha1 is the matching key). */
export function toResourceDescriptor(entry: ResourceEntry): ResourceDescriptor {
  return {
    checksum: { value: entry.sha1 },
    size_in_bytes: entry.size,
    path: entry.path,
    mode: entry.mode,
  }
}
