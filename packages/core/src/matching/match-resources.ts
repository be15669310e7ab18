import type { ResourceDescriptor } from './resource-descriptor.js'

export interface MatchResourcesOptions {
  /**
   * Only descriptors with `minimumSize < size < maximumSize` are looked up
   * (strict, as Cloud Foundry). packwright's default matches every size.
   * @default -1
   */
  readonly minimumSize?: number
  /** @default Infinity */
  readonly maximumSize?: number
}

const SIZE_BUCKET_LIMITS = [1024, 100 * 1024, 1024 ** 2, 100 * 1024 ** 2, 1024 ** 3]

function sizeBucket(size: number): number {
  const index = SIZE_BUCKET_LIMITS.findIndex((limit) => size <= limit)
  return index === -1 ? SIZE_BUCKET_LIMITS.length : index
}

/**
 * The server side of resource matching: the subset of `descriptors` whose
 * sha1 the pool holds, echoed unchanged. Descriptors without an owner-rw mode
 * (`>= 0600`) or with a checksum that is not 40 characters are never matched.
 * The answer is grouped by size bucket in order of first appearance, keeping
 * request order within a bucket (Cloud Foundry's order); duplicates stay.
 */
export async function matchResources(
  descriptors: readonly ResourceDescriptor[],
  hasBlob: (sha1: string) => boolean | Promise<boolean>,
  options: MatchResourcesOptions = {},
): Promise<ResourceDescriptor[]> {
  const minimumSize = options.minimumSize ?? -1
  const maximumSize = options.maximumSize ?? Number.POSITIVE_INFINITY
  const buckets = new Map<number, ResourceDescriptor[]>()
  for (const descriptor of descriptors) {
    const size = descriptor.size_in_bytes
    if (!(size > minimumSize && size < maximumSize)) continue
    if (!/^[0-7]+$/.test(descriptor.mode) || Number.parseInt(descriptor.mode, 8) < 0o600) continue
    const sha1 = descriptor.checksum.value
    if (sha1.length !== 40) continue
    if (!(await hasBlob(sha1.toLowerCase()))) continue
    const bucket = sizeBucket(size)
    const list = buckets.get(bucket) ?? []
    list.push(descriptor)
    buckets.set(bucket, list)
  }
  return [...buckets.values()].flat()
}
