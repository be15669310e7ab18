import type { ListQuery } from '../validation/parse-list-query.js'

/** Cloud Foundry's pagination block of a list answer. */
export function presentPagination(
  totalResults: number,
  query: ListQuery,
  baseUrl: string,
  path: string,
) {
  const { page, perPage } = query.page
  const totalPages = Math.max(1, Math.ceil(totalResults / perPage))
  const link = (target: number) => {
    const search = new URLSearchParams()
    for (const [key, value] of query.linkParameters) search.append(key, value)
    search.set('page', String(target))
    search.set('per_page', String(perPage))
    return { href: `${baseUrl}${path}?${search.toString()}` }
  }
  return {
    total_results: totalResults,
    total_pages: totalPages,
    first: link(1),
    last: link(totalPages),
    next: page < totalPages ? link(page + 1) : null,
    previous: page > 1 ? link(page - 1) : null,
  }
}
