import { escapeControlCharacters } from '@packwright/core'
import { ActionError } from './action-error.js'

/** The parts of Octokit's RequestError the release steps look at. */
interface RequestFailure {
  readonly status?: unknown
  readonly message?: unknown
  readonly response?: { readonly data?: unknown }
}

/** The HTTP status of a failed Octokit request, or undefined for other errors. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as RequestFailure | null)?.status
  return typeof status === 'number' ? status : undefined
}

/**
 * Whether GitHub refused a create because the `resource` (`Release`,
 * `ReleaseAsset`) exists already: 422 with an `already_exists` error.
 */
export function isAlreadyExists(error: unknown, resource: string): boolean {
  if (statusOf(error) !== 422) return false
  const data = (error as RequestFailure).response?.data as { errors?: unknown } | undefined
  const errors = Array.isArray(data?.errors) ? (data.errors as unknown[]) : []
  return errors.some((item) => {
    const detail = item as { resource?: unknown; code?: unknown } | null
    return detail?.code === 'already_exists' && detail.resource === resource
  })
}

/** GitHub's message for a failed request, on one line, without the documentation link. */
function answerOf(error: unknown): string {
  const status = statusOf(error)
  const raw = (error as RequestFailure | null)?.message
  const message = typeof raw === 'string' ? raw : String(error)
  const short = message
    .replace(/\s+-\s+https:\/\/docs\.github\.com\S*$/, '')
    .slice(0, 300)
    .replace(/\.$/, '')
  return escapeControlCharacters(status === undefined ? short : `${status} ${short}`)
}

/**
 * The coded failure for a release request that failed after its retries:
 * `RELEASE_PERMISSION_DENIED` for a 403 that is not a rate limit (the token
 * cannot write releases), `RELEASE_REQUEST_FAILED` for anything else.
 * `action` completes "Could not …", for example "create the release for tag v1.2.3".
 */
export function releaseRequestFailure(action: string, error: unknown): ActionError {
  const answer = answerOf(error)
  if (statusOf(error) === 403 && !/rate limit/i.test(answer)) {
    return new ActionError(
      'RELEASE_PERMISSION_DENIED',
      `Could not ${action}: GitHub answered ${answer}. The token needs the \`contents: write\` permission to create releases and upload their assets.`,
      {
        hint:
          'Add `permissions: contents: write` to the job (or the workflow) that runs this step, ' +
          'or pass a `github-token` that has it.',
        cause: error,
      },
    )
  }
  const immutable = /immutable/i.test(answer)
  return new ActionError('RELEASE_REQUEST_FAILED', `Could not ${action}: ${answer}.`, {
    hint: immutable
      ? 'The release is immutable: assets can only be added before it is published. Attach them to a draft (`release-draft: true`) and publish it afterwards, or push a new tag.'
      : 'Network errors, 5xx answers and rate limits were retried; run the job again, or check githubstatus.com.',
    cause: error,
  })
}
