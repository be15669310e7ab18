import { isPackwrightError, quoteInput } from '@packwright/core'
import { checkGitHubApiUrl } from '../spice/spice-generate-settings.js'
import type { SpiceConfig } from './server-config.js'

const SPICE_KEYS = ['githubApiUrl', 'githubTokenFile', 'cache']

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * Checks the `spice` section of a server config (Spice's generate endpoint),
 * adding each problem to `problems`. The token is never in the config: only
 * the path of a file that holds it.
 */
export function parseSpiceConfig(value: unknown, problems: string[]): SpiceConfig | undefined {
  if (!isRecord(value)) {
    problems.push('spice must be a mapping such as {"githubApiUrl": "https://api.github.com"}')
    return undefined
  }
  for (const key of Object.keys(value)) {
    if (!SPICE_KEYS.includes(key)) {
      problems.push(
        key === 'githubToken'
          ? 'spice.githubToken is not accepted: put the token in a file and name it in spice.githubTokenFile'
          : `spice has unknown key ${quoteInput(key)} (known: ${SPICE_KEYS.join(', ')})`,
      )
    }
  }
  const config: { -readonly [K in keyof SpiceConfig]: SpiceConfig[K] } = {}
  const { githubApiUrl, githubTokenFile, cache } = value
  if (githubApiUrl !== undefined) {
    try {
      if (typeof githubApiUrl !== 'string') throw new TypeError('not a string')
      config.githubApiUrl = checkGitHubApiUrl(githubApiUrl)
    } catch (error) {
      if (!isPackwrightError(error) && !(error instanceof TypeError)) throw error
      problems.push(
        'spice.githubApiUrl must be an http(s) URL such as https://api.github.com or https://ghe.example.com/api/v3',
      )
    }
  }
  if (githubTokenFile !== undefined) {
    if (typeof githubTokenFile === 'string' && githubTokenFile !== '') {
      config.githubTokenFile = githubTokenFile
    } else {
      problems.push('spice.githubTokenFile must be the path of a file holding a GitHub token')
    }
  }
  if (cache !== undefined) {
    if (typeof cache === 'boolean') config.cache = cache
    else problems.push('spice.cache must be true or false')
  }
  return config
}
