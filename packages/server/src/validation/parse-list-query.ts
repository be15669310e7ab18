import type { ListOrder, PageRequest, SortField } from '../storage/metadata-store.js'
import { cfErrors } from '../http/cf-errors.js'

export const DEFAULT_PER_PAGE = 50
export const MAX_PER_PAGE = 5000

const PAGING_PARAMETERS = ['page', 'per_page', 'order_by']
const SORT_FIELDS: readonly SortField[] = ['created_at', 'updated_at']

export interface ListQuery {
  /** Each filter given, split on commas as Cloud Foundry's list filters are. */
  readonly filters: Readonly<Record<string, readonly string[]>>
  readonly page: PageRequest
  /** The query as it should be repeated in pagination links, in order. */
  readonly linkParameters: readonly (readonly [string, string])[]
}

function lastValue(value: unknown): string | undefined {
  if (Array.isArray(value)) return lastValue(value.at(-1))
  return typeof value === 'string' ? value : undefined
}

function positiveInteger(
  text: string | undefined,
  label: string,
  problems: string[],
): number | undefined {
  if (text === undefined) return undefined
  if (!/^-?\d+(\.\d+)?$/.test(text.trim())) {
    problems.push(`${label} is not a number`)
    return undefined
  }
  const value = Number(text)
  if (!Number.isInteger(value)) problems.push(`${label} must be an integer`)
  else if (value < 1) problems.push(`${label} must be greater than 0`)
  else return value
  return undefined
}

/**
 * Reads the query of a Cloud Foundry list endpoint: its filters, `page`,
 * `per_page` (1–5000) and `order_by` (`created_at`/`updated_at`, `-` for
 * descending). Problems answer 400 CF-BadQueryParameter, all at once.
 */
export function parseListQuery(
  query: Readonly<Record<string, unknown>>,
  filterNames: readonly string[],
): ListQuery {
  const problems: string[] = []
  const allowed = [...filterNames, ...PAGING_PARAMETERS]
  const unknown = Object.keys(query).filter((key) => !allowed.includes(key))
  if (unknown.length > 0) {
    problems.push(
      `Unknown query parameter(s): '${unknown.join("', '")}'. Valid parameters are: '${allowed.join("', '")}'`,
    )
  }
  const page = positiveInteger(lastValue(query.page), 'Page', problems) ?? 1
  let perPage = DEFAULT_PER_PAGE
  const perPageText = lastValue(query.per_page)
  if (perPageText !== undefined) {
    const value = Number(perPageText)
    if (!/^\d+$/.test(perPageText.trim()) || value < 1 || value > MAX_PER_PAGE) {
      problems.push(`Per page must be between 1 and ${MAX_PER_PAGE}`)
    } else {
      perPage = value
    }
  }
  let order: ListOrder = { field: 'created_at', descending: false }
  const orderText = lastValue(query.order_by)
  if (orderText !== undefined) {
    const descending = orderText.startsWith('-')
    const field = orderText.replace(/^[-+]/, '')
    if (SORT_FIELDS.includes(field as SortField)) order = { field: field as SortField, descending }
    else problems.push(`Order by can only be: '${SORT_FIELDS.join("', '")}'`)
  }
  if (problems.length > 0) throw cfErrors.badQueryParameter(problems)

  const filters: Record<string, string[]> = {}
  const linkParameters: [string, string][] = []
  for (const name of filterNames) {
    const text = lastValue(query[name])
    if (text === undefined) continue
    filters[name] = text.split(',')
    linkParameters.push([name, text])
  }
  if (orderText !== undefined) linkParameters.push(['order_by', orderText])
  return { filters, page: { page, perPage, order }, linkParameters }
}
