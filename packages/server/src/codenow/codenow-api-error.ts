/** The error codes of the CodeNOW routes, listed in docs/errors.md. */
export const CODENOW_ERROR_CODES = [
  'CODENOW_INVALID_REQUEST',
  'CODENOW_UNAUTHENTICATED',
  'CODENOW_FORBIDDEN',
  'CODENOW_NOT_FOUND',
  'CODENOW_RATE_LIMITED',
  'CODENOW_INTERNAL_ERROR',
] as const

export type CodenowErrorCode = (typeof CODENOW_ERROR_CODES)[number]

/** The HTTP status each code answers with. */
const STATUS: Readonly<Record<CodenowErrorCode, number>> = {
  CODENOW_INVALID_REQUEST: 400,
  CODENOW_UNAUTHENTICATED: 401,
  CODENOW_FORBIDDEN: 403,
  CODENOW_NOT_FOUND: 404,
  CODENOW_RATE_LIMITED: 429,
  CODENOW_INTERNAL_ERROR: 500,
}

/** One thing wrong with a request: where (a JSON path, a header, a parameter) and what. */
export interface CodenowProblem {
  readonly field: string
  readonly message: string
}

/** The body of every CodeNOW error answer. */
export interface CodenowErrorBody {
  readonly status: number
  readonly code: CodenowErrorCode
  /** One line: every problem, joined. */
  readonly message: string
  readonly problems: readonly CodenowProblem[]
}

/**
 * An error answered by the CodeNOW routes: a status, a stable code and every
 * problem found, in the vendor media type. It never carries a stack to the
 * client.
 */
export class CodenowApiError extends Error {
  readonly status: number

  constructor(
    readonly code: CodenowErrorCode,
    message: string,
    readonly problems: readonly CodenowProblem[] = [],
    /** Seconds, for 429. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message)
    this.name = 'CodenowApiError'
    this.status = STATUS[code]
  }

  toBody(): CodenowErrorBody {
    return { status: this.status, code: this.code, message: this.message, problems: this.problems }
  }
}

/** A 400 listing every problem, its message naming each one. */
export function invalidRequest(problems: readonly CodenowProblem[]): CodenowApiError {
  const summary = problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')
  return new CodenowApiError(
    'CODENOW_INVALID_REQUEST',
    `The request is invalid: ${summary}.`,
    problems,
  )
}
