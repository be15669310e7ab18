import { invalidRequest, type CodenowProblem } from './codenow-api-error.js'
import type { PackageExpansion } from './present-application-package.js'

export interface PackageListQuery {
  readonly includeArchived: boolean
  readonly expansion: PackageExpansion
}

const EXPANDABLE = ['labels', 'components'] as const
const KNOWN = ['includeArchived', 'expand']

/**
 * Reads `includeArchived` (true or false; default false) and `expand`
 * (`labels` and/or `components`, repeated or comma-separated; default
 * neither: the nested lists come back empty). Every problem in one 400.
 */
export function parsePackageListQuery(query: Readonly<Record<string, unknown>>): PackageListQuery {
  const problems: CodenowProblem[] = []
  for (const key of Object.keys(query)) {
    if (!KNOWN.includes(key)) {
      problems.push({
        field: key,
        message: `is not a parameter of this list (known: ${KNOWN.join(', ')})`,
      })
    }
  }
  let includeArchived = false
  const archived = query.includeArchived
  if (archived !== undefined) {
    if (archived === 'true' || archived === 'false') includeArchived = archived === 'true'
    else problems.push({ field: 'includeArchived', message: 'must be true or false' })
  }
  const requested = query.expand === undefined ? [] : [query.expand].flat()
  const expand = new Set<string>()
  for (const value of requested) {
    for (const part of (typeof value === 'string' ? value : '').split(',')) {
      const item = part.trim()
      if ((EXPANDABLE as readonly string[]).includes(item)) expand.add(item)
      else {
        problems.push({
          field: 'expand',
          message: `${JSON.stringify(item.slice(0, 50))} is not one of ${EXPANDABLE.join(', ')}`,
        })
      }
    }
  }
  if (problems.length > 0) throw invalidRequest(problems)
  return {
    includeArchived,
    expansion: { labels: expand.has('labels'), components: expand.has('components') },
  }
}
