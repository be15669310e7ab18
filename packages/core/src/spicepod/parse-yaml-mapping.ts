import { parseDocument } from 'yaml'
import { isMapping } from './is-mapping.js'

/** The outcome of parsing one YAML document that must be a mapping. */
export type YamlMappingResult =
  | { readonly ok: true; readonly value: Record<string, unknown> }
  | {
      readonly ok: false
      readonly reason: string
      /** The offending line (and the one before it) with a caret under the problem. */
      readonly excerpt?: string
    }

export interface ParseYamlMappingOptions {
  /** Most alias expansions allowed; stops alias bombs ("billion laughs"). @default 20 */
  readonly maxAliasCount?: number
}

function firstLine(message: string): string {
  const line = message.split('\n')[0] ?? message
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}

/** At most this many characters of a source line are shown in an excerpt. */
const MAX_EXCERPT_LINE = 200

/**
 * The YAML library's excerpt of a problem (the offending line, with the line
 * before it for context where it has one, and a caret under the column),
 * without the blank lines around it and with long lines cut.
 */
function excerptOf(message: string): string | undefined {
  const lines = message.split('\n').slice(1)
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift()
  while (lines.length > 0 && lines.at(-1)?.trim() === '') lines.pop()
  if (lines.length === 0 || !/^\s*\^+\s*$/.test(lines.at(-1) ?? '')) return undefined
  return lines
    .map((line) => (line.length > MAX_EXCERPT_LINE ? `${line.slice(0, MAX_EXCERPT_LINE)}…` : line))
    .join('\n')
}

function failure(message: string): YamlMappingResult {
  const reason = firstLine(message).replace(/:$/, '')
  const excerpt = excerptOf(message)
  return excerpt === undefined ? { ok: false, reason } : { ok: false, reason, excerpt }
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
    return { ok: false, reason: firstLine(error instanceof Error ? error.message : String(error)) }
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
