import {
  PackwrightError,
  SPICE_FROM_INVALID_MESSAGE,
  type SourceSpec,
  parseSpiceFrom,
} from '@packwright/core'

/** A `github:` source, as `parseSpiceFrom` answers it. */
export type GitHubSourceSpec = Extract<SourceSpec, { kind: 'github' }>

/** What a valid generate request asks for. */
export interface GenerateRequest {
  readonly source: GitHubSourceSpec
  /** `params.github_token`, when the request names one (never logged or echoed). */
  readonly githubToken: string | undefined
}

/** Spice's own words for a token that cannot be sent to GitHub. */
export const INVALID_GITHUB_TOKEN_SENTENCE = 'An invalid GitHub token was provided.'

/** What GitHub tokens look like: visible ASCII only, as an HTTP header value needs. */
const TOKEN = /^[\x21-\x7e]+$/

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalidBody(message: string, field: string): PackwrightError {
  return new PackwrightError('INVALID_ARGUMENT', message, { details: { field } })
}

/**
 * Checks the body of `POST /v1/packages/generate`:
 * `{"from": "github:{org}/{repo}/{sha}/{path}", "params": {"github_token": "…"}}`.
 * `params` is required, as in Spice's request type, and maps names to strings;
 * only `github_token` is used. A missing or non-`github:` `from` fails with
 * Spice's exact message.
 *
 * @throws PackwrightError `SOURCE_SPEC_INVALID` for `from` (Spice's message,
 *   or a specific one where packwright is stricter: `..`, empty segments, a
 *   sha that is not 7–40 hex characters), `INVALID_ARGUMENT` for the rest of
 *   the body. No message ever contains a `params` value.
 */
export function parseGenerateRequest(body: unknown): GenerateRequest {
  if (!isRecord(body)) {
    throw invalidBody(
      'Invalid request body: expected a JSON object {"from": "github:{org}/{repo}/{sha}/{path_to_spicepod.yaml}", "params": {}}.',
      'body',
    )
  }
  const { from, params } = body
  if (typeof from !== 'string') {
    throw new PackwrightError('SOURCE_SPEC_INVALID', SPICE_FROM_INVALID_MESSAGE, {
      details: { field: 'from', reason: from === undefined ? 'missing' : 'not-a-string' },
    })
  }
  if (!isRecord(params)) {
    throw invalidBody(
      `Invalid \`params\` field: ${params === undefined ? 'it is required' : 'expected an object'}, a map of names to strings such as {"github_token": "…"} ({} when there are none).`,
      'params',
    )
  }
  for (const [name, value] of Object.entries(params)) {
    if (typeof value !== 'string') {
      // The name is the client's own key; the value is never repeated.
      throw invalidBody(
        `Invalid \`params\` field: the value of ${JSON.stringify(name.slice(0, 100))} must be a string.`,
        'params',
      )
    }
  }
  const source = parseSpiceFrom(from)
  const raw = params.github_token
  const token = typeof raw === 'string' ? raw.trim() : undefined
  if (token === undefined || token === '') return { source, githubToken: undefined }
  if (!TOKEN.test(token)) {
    throw invalidBody(
      `${INVALID_GITHUB_TOKEN_SENTENCE} \`params.github_token\` holds whitespace, control or non-ASCII characters, so it cannot be sent in an HTTP header; pass the token exactly as GitHub issued it.`,
      'params.github_token',
    )
  }
  return { source, githubToken: token }
}
