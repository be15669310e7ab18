import { escapeControlCharacters } from '@packwright/core'

/** The prefix of the annotations packwright itself documents and reads. */
export const PACKWRIGHT_ANNOTATION_PREFIX = 'packwright.dev/'

/**
 * The annotations `packwright push` records on a package, from the git
 * checkout it packaged. A package's version is its `version` annotation,
 * else its `commitSha`.
 */
export const PACKWRIGHT_ANNOTATIONS = {
  /** The version the pusher gave (`--version`). */
  version: 'packwright.dev/version',
  /** Full commit id: 40 (SHA-1) or 64 (SHA-256) hex characters. */
  commitSha: 'packwright.dev/commit-sha',
  commitMessage: 'packwright.dev/commit-message',
  authorName: 'packwright.dev/author-name',
  authorEmail: 'packwright.dev/author-email',
  /** ISO 8601 date-time with an offset, e.g. `2024-05-06T07:08:09Z`. */
  authorDate: 'packwright.dev/author-date',
  committerName: 'packwright.dev/committer-name',
  committerEmail: 'packwright.dev/committer-email',
  committerDate: 'packwright.dev/committer-date',
  branch: 'packwright.dev/branch',
} as const

export type PackwrightAnnotation =
  (typeof PACKWRIGHT_ANNOTATIONS)[keyof typeof PACKWRIGHT_ANNOTATIONS]

/** The annotation keys naming a package's version, in the order they are tried. */
export const VERSION_ANNOTATION_KEYS: readonly string[] = [
  PACKWRIGHT_ANNOTATIONS.version,
  PACKWRIGHT_ANNOTATIONS.commitSha,
]

const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.values(PACKWRIGHT_ANNOTATIONS))

const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
/** Date, time, optional fraction, and a zone: what `git log --format=%aI` prints. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/

function isDateTime(value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
}

/**
 * Checks the `packwright.dev/` annotations of a package: only the documented
 * keys, a full lowercase commit SHA, ISO 8601 dates, a non-blank version.
 * Other annotations are left to the general rules.
 */
export function packwrightAnnotationProblems(
  annotations: Readonly<Record<string, string>>,
): string[] {
  const problems: string[] = []
  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(PACKWRIGHT_ANNOTATION_PREFIX)) continue
    if (!KNOWN_KEYS.has(key)) {
      problems.push(
        `Metadata annotation key error: '${escapeControlCharacters(key.slice(0, 100))}' is not a packwright.dev annotation (known: ${[...KNOWN_KEYS].map((known) => known.slice(PACKWRIGHT_ANNOTATION_PREFIX.length)).join(', ')})`,
      )
      continue
    }
    const problem =
      key === PACKWRIGHT_ANNOTATIONS.version && value.trim() === ''
        ? 'must not be blank'
        : key === PACKWRIGHT_ANNOTATIONS.commitSha && !COMMIT_SHA.test(value)
          ? 'must be a full commit SHA: 40 or 64 lowercase hex characters'
          : (key === PACKWRIGHT_ANNOTATIONS.authorDate ||
                key === PACKWRIGHT_ANNOTATIONS.committerDate) &&
              !isDateTime(value)
            ? 'must be an ISO 8601 date-time such as 2024-05-06T07:08:09Z'
            : undefined
    if (problem !== undefined) {
      problems.push(`Metadata annotation value error: '${key}' ${problem}`)
    }
  }
  return problems
}
