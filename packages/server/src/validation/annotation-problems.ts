import { escapeControlCharacters } from '@packwright/core'

/** Cloud Controller's limits on metadata keys and annotation values. */
export const ANNOTATION_LIMITS = {
  /** Characters of a key's name (the part after the prefix). */
  maxKeyNameLength: 63,
  /** Characters of a key's prefix (a DNS name). */
  maxKeyPrefixLength: 253,
  maxValueLength: 5000,
  /** Cloud Controller's default `max_annotations_per_resource`. */
  maxAnnotations: 200,
} as const

/** Cloud Foundry keeps this prefix for itself. */
const RESERVED_PREFIX = 'cloudfoundry.org'

const NAME_CHARACTERS = /^[A-Za-z0-9_.-]+$/
const ALPHANUMERIC_ENDS = /^[A-Za-z0-9](?:.*[A-Za-z0-9])?$/s
const DNS_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/

/** Length in code points, as Ruby counts characters. */
function characters(text: string): number {
  return [...text].length
}

/** The first eight characters, as Cloud Controller cuts long keys and values in messages. */
function opening(text: string): string {
  return escapeControlCharacters([...text].slice(0, 8).join(''))
}

/** A key part for a message: whole when short, else its opening. */
function shown(text: string): string {
  return characters(text) > 100 ? `${opening(text)}...` : escapeControlCharacters(text)
}

function isDnsName(text: string): boolean {
  return text.split('.').every((label) => DNS_LABEL.test(label))
}

/** What is wrong with an annotation key, in Cloud Controller's words, or undefined. */
function keyProblem(key: string): string | undefined {
  if (key === '') return 'key cannot be empty string'
  const parts = key.split('/')
  if (parts.length > 2) return "key has more than one '/'"
  const [prefix, name] = parts.length === 2 ? [parts[0] ?? '', parts[1] ?? ''] : [undefined, key]
  if (prefix !== undefined) {
    if (!isDnsName(prefix)) return `prefix '${shown(prefix)}' must be in valid dns format`
    if (characters(prefix) > ANNOTATION_LIMITS.maxKeyPrefixLength) {
      return `prefix '${opening(prefix)}...' is greater than ${ANNOTATION_LIMITS.maxKeyPrefixLength} characters`
    }
    if (prefix.toLowerCase() === RESERVED_PREFIX) return `prefix '${RESERVED_PREFIX}' is reserved`
  }
  if (name === '') return 'key cannot be empty string'
  if (!NAME_CHARACTERS.test(name)) return `'${shown(name)}' contains invalid characters`
  if (!ALPHANUMERIC_ENDS.test(name)) {
    return `'${shown(name)}' starts or ends with invalid characters`
  }
  if (characters(name) > ANNOTATION_LIMITS.maxKeyNameLength) {
    return `'${opening(name)}...' is greater than ${ANNOTATION_LIMITS.maxKeyNameLength} characters`
  }
  return undefined
}

/**
 * Checks annotations as Cloud Controller does: each key an optional DNS
 * prefix (at most 253 characters, not `cloudfoundry.org`) and a slash, then
 * a name of at most 63 letters, digits, `-`, `_` or `.` that starts and ends
 * alphanumeric; each value at most 5000 characters; at most 200 annotations.
 * Problems are pushed as Cloud Controller words them.
 */
export function annotationProblems(annotations: Readonly<Record<string, string>>): string[] {
  const problems: string[] = []
  const entries = Object.entries(annotations)
  for (const [key, value] of entries) {
    const problem = keyProblem(key)
    if (problem !== undefined) problems.push(`Metadata annotation key error: ${problem}`)
    if (characters(value) > ANNOTATION_LIMITS.maxValueLength) {
      problems.push(
        `Metadata annotation value error: '${opening(value)}...' is greater than ${ANNOTATION_LIMITS.maxValueLength} characters`,
      )
    }
  }
  if (entries.length > ANNOTATION_LIMITS.maxAnnotations) {
    problems.push(
      `Metadata annotations: ${entries.length} given, which would exceed maximum of ${ANNOTATION_LIMITS.maxAnnotations}`,
    )
  }
  return problems
}
