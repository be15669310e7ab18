import { describe, expect, it } from 'vitest'
import { readRunContext } from './run-context.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'
const BASE = { GITHUB_SHA: SHA, GITHUB_REPOSITORY: 'octo-org/hello-pod' }

describe('readRunContext', () => {
  it('reads the job from the runner variables, with defaults', () => {
    const context = readRunContext({ ...BASE, RUNNER_TEMP: '/runner/temp' })
    expect(context).toMatchObject({
      sha: SHA,
      owner: 'octo-org',
      repo: 'hello-pod',
      refName: '0123456',
      workspace: undefined,
      apiUrl: 'https://api.github.com',
      serverUrl: 'https://github.com',
      runId: undefined,
      tempDir: '/runner/temp',
    })
  })

  it('takes the ref name from GITHUB_REF_NAME, else from GITHUB_REF', () => {
    expect(readRunContext({ ...BASE, GITHUB_REF_NAME: 'v1.2.0' }).refName).toBe('v1.2.0')
    expect(readRunContext({ ...BASE, GITHUB_REF: 'refs/heads/feature/x' }).refName).toBe(
      'feature/x',
    )
  })

  it('drops trailing slashes from the API and server URLs', () => {
    const context = readRunContext({
      ...BASE,
      GITHUB_API_URL: 'https://ghe.example.test/api/v3/',
      GITHUB_SERVER_URL: 'https://ghe.example.test/',
    })
    expect(context.apiUrl).toBe('https://ghe.example.test/api/v3')
    expect(context.serverUrl).toBe('https://ghe.example.test')
  })

  it.each([
    [{ GITHUB_REPOSITORY: 'octo-org/hello-pod' }, 'GITHUB_SHA is not set.'],
    [{ ...BASE, GITHUB_SHA: 'main' }, 'GITHUB_SHA is not a full commit SHA: "main".'],
    [{ GITHUB_SHA: SHA }, 'GITHUB_REPOSITORY is not set.'],
    [
      { ...BASE, GITHUB_REPOSITORY: 'a/b/c' },
      'GITHUB_REPOSITORY must be "owner/repo", got "a/b/c".',
    ],
  ])('rejects %j', (env, message) => {
    expect(() => readRunContext(env)).toThrow(message)
  })
})
