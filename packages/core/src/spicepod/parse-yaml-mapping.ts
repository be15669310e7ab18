import { parseDocument } from 'yaml'
import { type YamlProblem, describeYamlProblem } from './describe-yaml-problem.js'
import { isMapping } from './is-mapping.js'

/** The outcome of parsing one YAML document that must be a mapping. */
export type YamlMappingResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | ({ readonly ok: false } & YamlProblem)

export interface ParseYamlMappingOptions {
  /** Most alias expansions allowed; stops alias bombs ("billion laughs"). @default 20 */
  readonly maxAliasCount?: number
}

function failure(message: string): YamlMappingResult {
  return { ok: false, ...describeYamlProblem(message) }
}

/**
 * Parses `text` as a single YAML 1.2 document (core schema) whose top level is
 * a mapping. Duplicate keys, tags outside the core schema, several documents
 * and alias expansion beyond `maxAliasCount` are failures, reported as a
 * one-line reason with the position.
 */
export function parseYamlMapping(
  text: string,
  options: ParseYamlMappingOptions = {},
): YamlMappingResult {
  const document = parseDocument(text, {
    uniqueKeys: true,
    resolveKnownTags: false,
    prettyErrors: true,
    schema: 'core',
  })
  const problem =
    document.errors[0] ?? document.warnings.find((w) => w.code === 'TAG_RESOLVE_FAILED')
  if (problem !== undefined) return failure(problem.message)
  let value: unknown
  try {
    value = document.toJS({ maxAliasCount: options.maxAliasCount ?? 20 })
  } catch (error) {
    return failure(error instanceof Error ? error.message : String(error))
  }
  if (!isMapping(value)) {
    const actual =
      value === null || value === undefined
        ? 'empty'
        : Array.isArray(value)
          ? 'a list'
          : `a ${typeof value}`
    return {
      ok: false,
      reason: `the document must be a mapping of keys to values, but it is ${actual}`,
    }
  }
  return { ok: true, value }
}
