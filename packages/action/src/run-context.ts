import { tmpdir } from 'node:os'
import { ActionError } from './action-error.js'

/** What the runner tells the action about the job, read from its environment. */
export interface RunContext {
  /** The commit to package (`GITHUB_SHA`). */
  readonly sha: string
  readonly owner: string
  readonly repo: string
  /** Branch or tag name (`GITHUB_REF_NAME`); the short SHA when the ref is unknown. */
  readonly refName: string
  /** `GITHUB_WORKSPACE`, where actions/checkout puts the repository, if set. */
  readonly workspace: string | undefined
  readonly apiUrl: string
  readonly serverUrl: string
  readonly runId: string | undefined
  /** Where the package is written (`RUNNER_TEMP`, else the system temp folder). */
  readonly tempDir: string
}

type Environment = Readonly<Record<string, string | undefined>>

function required(env: Environment, name: string): string {
  const value = env[name]
  if (value === undefined || value === '') {
    throw new ActionError('ACTION_ENVIRONMENT_INVALID', `${name} is not set.`, {
      hint: 'This action runs as a step of a GitHub Actions job, where the runner sets it.',
    })
  }
  return value
}

function refNameOf(env: Environment, sha: string): string {
  if (env.GITHUB_REF_NAME) return env.GITHUB_REF_NAME
  const ref = env.GITHUB_REF ?? ''
  const match = /^refs\/(?:heads|tags)\/(.+)$/.exec(ref)
  return match?.[1] ?? sha.slice(0, 7)
}

/**
 * Reads the job's context from the runner's environment variables.
 * @throws ActionError when GITHUB_SHA or GITHUB_REPOSITORY is missing or malformed.
 */
export function readRunContext(env: Environment): RunContext {
  const sha = required(env, 'GITHUB_SHA')
  if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(sha)) {
    throw new ActionError(
      'ACTION_ENVIRONMENT_INVALID',
      `GITHUB_SHA is not a full commit SHA: ${JSON.stringify(sha.slice(0, 80))}.`,
    )
  }
  const repository = required(env, 'GITHUB_REPOSITORY')
  const [owner, repo, ...rest] = repository.split('/')
  if (owner === undefined || owner === '' || repo === undefined || repo === '' || rest.length > 0) {
    throw new ActionError(
      'ACTION_ENVIRONMENT_INVALID',
      `GITHUB_REPOSITORY must be "owner/repo", got ${JSON.stringify(repository.slice(0, 200))}.`,
    )
  }
  return {
    sha,
    owner,
    repo,
    refName: refNameOf(env, sha),
    workspace: env.GITHUB_WORKSPACE || undefined,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    serverUrl: (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, ''),
    runId: env.GITHUB_RUN_ID || undefined,
    tempDir: env.RUNNER_TEMP || tmpdir(),
  }
}
