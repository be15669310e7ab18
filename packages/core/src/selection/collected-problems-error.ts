import { type ErrorCode, PackwrightError } from '../errors.js'

/** At most this many problems are listed in one message; the rest are counted. */
export const MAX_LISTED_PROBLEMS = 10

/**
 * One error for every problem a planning pass found (files it cannot package,
 * links that leave the root or go round in circles), so that one run shows
 * all of them. A single problem is returned as it is. Several take the first
 * one's code, list up to {@link MAX_LISTED_PROBLEMS} of them on lines of their
 * own and count the rest; every one of them is in `details.problems`.
 */
export function collectedProblemsError(
  problems: readonly PackwrightError[],
  where: string,
): PackwrightError {
  const [first, ...others] = problems
  if (first === undefined) throw new Error('collectedProblemsError needs at least one problem')
  if (others.length === 0) return first
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS)
  const unlisted = problems.length - listed.length
  const codes = new Set<ErrorCode>(problems.map((problem) => problem.code))
  const hints = new Set(problems.map((problem) => problem.hint))
  const lines = [
    `${problems.length} problems stop the package of ${where}${unlisted > 0 ? ` (the first ${listed.length} below)` : ''}:`,
    ...listed.map((problem) =>
      codes.size === 1 ? `- ${problem.message}` : `- [${problem.code}] ${problem.message}`,
    ),
    ...(unlisted > 0 ? [`- and ${unlisted} more.`] : []),
  ]
  const sharedHint = hints.size === 1 ? first.hint : undefined
  return new PackwrightError(first.code, lines.join('\n'), {
    hint:
      sharedHint ??
      'Fix or exclude each file the lines name (an exclude pattern or an ignore file), then run again.',
    details: {
      count: problems.length,
      problems: problems.map((problem) => ({
        code: problem.code,
        message: problem.message,
        ...problem.details,
      })),
    },
  })
}
