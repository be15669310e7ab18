import { annotationProblems } from './annotation-problems.js'
import { isJsonObject, unknownFieldsMessage } from './json-shapes.js'

export interface ValidMetadata {
  readonly labels: Record<string, string>
  readonly annotations: Record<string, string>
}

function stringMap(
  value: unknown,
  name: 'labels' | 'annotations',
  problems: string[],
): Record<string, string> {
  if (value === undefined) return {}
  if (!isJsonObject(value)) {
    problems.push(`Metadata ${name} must be an object`)
    return {}
  }
  const entries = Object.entries(value)
  if (entries.some(([, entry]) => typeof entry !== 'string')) {
    problems.push(`Metadata ${name} values must be strings`)
    return {}
  }
  return Object.fromEntries(entries) as Record<string, string>
}

/** Checks an optional `metadata: {labels, annotations}` of a create message. */
export function validateMetadata(value: unknown, problems: string[]): ValidMetadata {
  if (value === undefined) return { labels: {}, annotations: {} }
  if (!isJsonObject(value)) {
    problems.push("Metadata 'metadata' is not an object")
    return { labels: {}, annotations: {} }
  }
  const unknown = unknownFieldsMessage(value, ['labels', 'annotations'])
  if (unknown !== undefined) problems.push(`Metadata ${unknown}`)
  const labels = stringMap(value.labels, 'labels', problems)
  const annotations = stringMap(value.annotations, 'annotations', problems)
  problems.push(...annotationProblems(annotations))
  return { labels, annotations }
}
