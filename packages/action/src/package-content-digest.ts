import { computeContentDigest, type GeneratedPackage } from '@packwright/core'

const digests = new WeakMap<GeneratedPackage['entries'], string>()

/**
 * The package's content digest (core's `computeContentDigest`: sha256 of the
 * canonical list of its files and symlinks, the same for any compression),
 * computed once per package however many places show it.
 */
export function packageContentDigest(pkg: GeneratedPackage): string {
  const known = digests.get(pkg.entries)
  if (known !== undefined) return known
  const digest = computeContentDigest(pkg.entries)
  digests.set(pkg.entries, digest)
  return digest
}
