import {
  escapeControlCharacters,
  PACKWRIGHT_ANNOTATION_PREFIX,
  PACKWRIGHT_ANNOTATIONS,
} from '@packwright/core'

/** The annotation keys naming a package's version, in the order they are tried. */
export const VERSION_ANNOTATION_KEYS: readonly string[] = [
  PACKWRIGHT_ANNOTATIONS.version,
  PACKWRIGHT_ANNOTATIONS.commitSha,
]

const KNOWN_KEYS: ReadonlySet<string> = new Set(Object.values(PACKWRIGHT_ANNOTATIONS))

const COMMIT_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/
/** Date, time, optional fraction, and a zone: what `git log --format=%aI` prints. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/

/** The seconds a zip's DOS time can hold: 1980-01-01T00:00:00Z to 2107-12-31T23:59:59Z. */
const MIN_SOURCE_DATE_EPOCH = 315_532_800
const MAX_SOURCE_DATE_EPOCH = 4_354_819_199
const DECIMAL_SECONDS = /^(?:0|[1-9]\d{0,11})$/

/** The entry time a `packwright.dev/source-date-epoch` value names, or undefined when it is not one. */
function parseSourceDateEpoch(value: string): number | undefined {
  if (!DECIMAL_SECONDS.test(value)) return undefined
  const seconds = Number(value)
  return seconds >= MIN_SOURCE_DATE_EPOCH && seconds <= MAX_SOURCE_DATE_EPOCH ? seconds : undefined
}

/**
 * The entry time a package's annotations ask its zip to carry, in seconds
 * since 1970, or undefined for the default (1980-01-01). A value the
 * annotation checks would refuse also gives undefined.
 */
export function sourceDateEpochOf(
  annotations: Readonly<Record<string, string>>,
): number | undefined {
  const value = annotations[PACKWRIGHT_ANNOTATIONS.sourceDateEpoch]
  return value === undefined ? undefined : parseSourceDateEpoch(value)
}

function isDateTime(value: string): boolean {
  return DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
}

/**
 * Checks the `packwright.dev/` annotations of a package: only the documented
 * keys, a full lowercase commit SHA, ISO 8601 dates, a non-blank version,
 * a source date epoch a zip entry time can hold.
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
            : key === PACKWRIGHT_ANNOTATIONS.sourceDateEpoch &&
                parseSourceDateEpoch(value) === undefined
              ? `must be whole seconds since 1970 from ${MIN_SOURCE_DATE_EPOCH} to ${MAX_SOURCE_DATE_EPOCH} (what a zip entry time can hold), such as 1714979289`
              : undefined
    if (problem !== undefined) {
      problems.push(`Metadata annotation value error: '${key}' ${problem}`)
    }
  }
  return problems
}
