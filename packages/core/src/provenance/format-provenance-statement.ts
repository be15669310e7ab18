import { comparePaths } from '../_internal/compare-paths.js'
import type { ProvenanceStatement } from './provenance-statement.js'

/** A copy of `value` whose objects list their keys in code-unit order, at every depth. */
function withSortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withSortedKeys)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .sort(([a], [b]) => comparePaths(a, b))
      .map(([key, item]) => [key, withSortedKeys(item)]),
  )
}

/**
 * The statement as the file packwright writes: JSON with every object's keys
 * in code-unit order, two-space indentation and a final newline, so the same
 * statement is always the same bytes.
 */
export function formatProvenanceStatement(statement: ProvenanceStatement): string {
  return `${JSON.stringify(withSortedKeys(statement), null, 2)}\n`
}
