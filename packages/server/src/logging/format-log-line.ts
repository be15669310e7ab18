/**
 * Turns one JSON log line of the server into a short line for a terminal:
 * `12:00:01 200 GET /v3/packages 3 ms`, or `12:00:01 ERROR message`.
 * Lines that are not JSON are kept as they are.
 */
export function formatLogLine(line: string): string {
  let entry: Record<string, unknown>
  try {
    entry = JSON.parse(line) as Record<string, unknown>
  } catch {
    return line
  }
  const time =
    typeof entry.time === 'number' ? new Date(entry.time).toISOString().slice(11, 19) : ''
  const request = entry.req as { method?: unknown; url?: unknown } | undefined
  const answer = entry.res as { statusCode?: unknown } | undefined
  if (request !== undefined && answer !== undefined) {
    return `${time} ${String(answer.statusCode)} ${String(request.method)} ${String(request.url)} ${String(entry.responseTime)} ms`
  }
  const level = typeof entry.level === 'number' && entry.level >= 50 ? 'ERROR' : 'info'
  const error = entry.err as { message?: unknown } | undefined
  const detail = typeof error?.message === 'string' ? `: ${error.message}` : ''
  return `${time} ${level} ${String(entry.msg)}${detail}`
}
