import {
  type ContentManifest,
  type ContentManifestEntry,
  compareCodePoints,
} from './content-manifest.js'

/** What differs between two entries of the same path. */
export type ContentDifference = 'type' | 'mode' | 'content' | 'linkTarget'

/** An entry both manifests hold, with other type, mode, content or link target. */
export interface ChangedContentEntry {
  readonly path: string
  /** In the order type, mode, content, linkTarget; `content` for files, `linkTarget` for two symlinks. */
  readonly differences: readonly ContentDifference[]
  readonly expected: ContentManifestEntry
  readonly actual: ContentManifestEntry
}

/** How an actual package differs from the expected one, entry by entry, in canonical order. */
export interface ContentComparison {
  /** Entries of the expected manifest the actual one lacks. */
  readonly missing: readonly ContentManifestEntry[]
  /** Entries of the actual manifest the expected one lacks. */
  readonly extra: readonly ContentManifestEntry[]
  readonly changed: readonly ChangedContentEntry[]
}

/**
 * Compares two content manifests path by path, walking both in canonical
 * order at once: what `actual` lacks, what it has besides, and what it holds
 * differently. Equal manifests give three empty lists (and equal digests).
 *
 * @example
 * const { missing, extra, changed } = compareContentManifests(rebuilt, downloaded)
 *
 * @throws PackwrightError `INVALID_ARGUMENT` when a manifest holds a path twice.
 */
export function compareContentManifests(
  expected: ContentManifest,
  actual: ContentManifest,
): ContentComparison {
  const missing: ContentManifestEntry[] = []
  const extra: ContentManifestEntry[] = []
  const changed: ChangedContentEntry[] = []
  const left = expected.entries()
  const right = actual.entries()
  let want = left.next()
  let have = right.next()
  while (want.done !== true || have.done !== true) {
    const order =
      want.done === true
        ? 1
        : have.done === true
          ? -1
          : compareCodePoints(want.value.path, have.value.path)
    if (order < 0 && want.done !== true) {
      missing.push(want.value)
      want = left.next()
    } else if (order > 0 && have.done !== true) {
      extra.push(have.value)
      have = right.next()
    } else if (want.done !== true && have.done !== true) {
      const differences = differencesOf(want.value, have.value)
      if (differences.length > 0) {
        changed.push({
          path: want.value.path,
          differences,
          expected: want.value,
          actual: have.value,
        })
      }
      want = left.next()
      have = right.next()
    }
  }
  return { missing, extra, changed }
}

function differencesOf(
  expected: ContentManifestEntry,
  actual: ContentManifestEntry,
): ContentDifference[] {
  const differences: ContentDifference[] = []
  if (expected.kind !== actual.kind) differences.push('type')
  if (expected.mode !== actual.mode) differences.push('mode')
  if (expected.kind === 'symlink' && actual.kind === 'symlink') {
    if (expected.linkTarget !== actual.linkTarget) differences.push('linkTarget')
  } else if (expected.sha256 !== actual.sha256 || expected.size !== actual.size) {
    differences.push('content')
  }
  return differences
}
