import type { ResourceDescriptor } from '@packwright/core'
import { cfErrors } from '../http/cf-errors.js'
import { bodyObject, isJsonObject } from './json-shapes.js'

export const MAX_RESOURCES_PER_MATCH = 5000

/** One requested resource, echoed back as it came when it matches. */
export interface ResourceMatchEntry {
  readonly descriptor: ResourceDescriptor
  readonly echo: {
    readonly checksum: { readonly value: string }
    readonly size_in_bytes: number
    readonly path?: unknown
    readonly mode?: string
  }
}

/**
 * The length Rails' length validator sees: an array's or object's entry
 * count, otherwise the length of the value written as a string (`nil` → 0).
 */
function railsLength(value: unknown): number {
  if (Array.isArray(value)) return value.length
  if (isJsonObject(value)) return Object.keys(value).length
  if (value === undefined || value === null) return 0
  return typeof value === 'string' ? value.length : JSON.stringify(value).length
}

const ELEMENT_PROBLEMS = [
  'non-object checksum',
  'non-string checksum value',
  'non-SHA1 checksum value',
  'non-integer size_in_bytes',
  'negative size_in_bytes',
  'non-string mode',
  'incorrect mode',
] as const

type ElementProblem = (typeof ELEMENT_PROBLEMS)[number]

function elementProblems(element: unknown): ElementProblem[] {
  if (!isJsonObject(element)) return ['non-object checksum', 'non-integer size_in_bytes']
  const found: ElementProblem[] = []
  const { checksum, size_in_bytes: size, mode } = element
  if (!isJsonObject(checksum)) found.push('non-object checksum')
  else if (typeof checksum.value !== 'string') found.push('non-string checksum value')
  else if (checksum.value.length !== 40) found.push('non-SHA1 checksum value')
  if (typeof size !== 'number' || !Number.isInteger(size)) found.push('non-integer size_in_bytes')
  else if (size < 0) found.push('negative size_in_bytes')
  if (mode !== undefined) {
    if (typeof mode !== 'string') found.push('non-string mode')
    else if (!/^[0-7]+$/.test(mode)) found.push('incorrect mode')
  }
  return found
}

/**
 * Checks `POST /v3/resource_matches` with Cloud Controller's messages, each
 * prefixed "Resources " and reported once however many entries share it.
 * Extra top-level keys are ignored, as Cloud Controller ignores them.
 */
export function validateResourceMatches(body: unknown): ResourceMatchEntry[] {
  const { resources } = bodyObject(body)
  const problems: string[] = []
  if (!Array.isArray(resources)) problems.push('must be an array')
  const length = railsLength(resources)
  if (length < 1) problems.push('must have at least 1 resource')
  if (length > MAX_RESOURCES_PER_MATCH) {
    problems.push(`array can have at most ${MAX_RESOURCES_PER_MATCH} resources`)
  }
  if (Array.isArray(resources)) {
    const seen = new Set<ElementProblem>()
    for (const element of resources)
      for (const problem of elementProblems(element)) seen.add(problem)
    for (const problem of ELEMENT_PROBLEMS) {
      if (seen.has(problem)) {
        const article = problem.startsWith('incorrect') ? 'an' : 'a'
        problems.push(`array contains at least one resource with ${article} ${problem}`)
      }
    }
  }
  if (problems.length > 0) {
    throw cfErrors.unprocessableEntity(problems.map((problem) => `Resources ${problem}`))
  }
  return (resources as Record<string, unknown>[]).map((element) => {
    const checksum = element.checksum as { value: string }
    const size = element.size_in_bytes as number
    const mode = element.mode as string | undefined
    const echo = {
      checksum: { value: checksum.value },
      size_in_bytes: size,
      ...(element.path === undefined ? {} : { path: element.path }),
      ...(mode === undefined ? {} : { mode }),
    }
    const descriptor: ResourceDescriptor = {
      checksum: { value: checksum.value },
      size_in_bytes: size,
      path: typeof element.path === 'string' ? element.path : '',
      mode: mode ?? '',
    }
    return { descriptor, echo }
  })
}
