import { PackwrightError, quoteInput } from '@packwright/core'
import { type AccessToken, SCOPES, type Scope } from '../auth/access-token.js'
import type { ServerConfig } from './server-config.js'
import { parseSpiceConfig } from './parse-spice-config.js'
import { parseCodenowConfig } from '../codenow/parse-codenow-config.js'

const KNOWN_KEYS = [
  'tokens',
  'dataFolder',
  'bodyLimitBytes',
  'minimumMatchableSize',
  'maximumMatchableSize',
  'externalUrl',
  'spice',
  'codenow',
]

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0
}

function parseTokens(value: unknown, problems: string[]): AccessToken[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) {
    problems.push('tokens must be a list of {name, sha256, scopes}')
    return []
  }
  const tokens: AccessToken[] = []
  value.forEach((entry: unknown, index) => {
    const where = `tokens[${index}]`
    if (!isRecord(entry)) {
      problems.push(`${where} must be an object {name, sha256, scopes}`)
      return
    }
    for (const key of Object.keys(entry)) {
      if (!['name', 'sha256', 'scopes'].includes(key)) {
        problems.push(
          key === 'token'
            ? `${where}.token is not accepted: list the token's sha256 instead (printf %s TOKEN | sha256sum)`
            : `${where} has unknown key ${quoteInput(key)}`,
        )
      }
    }
    const { name, sha256, scopes } = entry
    if (typeof name !== 'string' || name === '')
      problems.push(`${where}.name must be a non-empty string`)
    if (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) {
      problems.push(`${where}.sha256 must be 64 hex characters (the sha256 of the token)`)
    }
    const validScopes =
      Array.isArray(scopes) &&
      scopes.length > 0 &&
      scopes.every((scope) => SCOPES.includes(scope as Scope))
    if (!validScopes) {
      problems.push(`${where}.scopes must be a non-empty list of ${SCOPES.join(', ')}`)
    }
    if (typeof name === 'string' && typeof sha256 === 'string' && validScopes) {
      tokens.push({ name, sha256: sha256.toLowerCase(), scopes: scopes as Scope[] })
    }
  })
  return tokens
}

/**
 * Checks a parsed config document and lists every problem at once, naming
 * the file and the key.
 */
export function parseServerConfig(document: unknown, source: string): ServerConfig {
  const problems: string[] = []
  if (!isRecord(document)) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Server config ${source} must be a mapping of settings, like {"tokens": [...]}.`,
    )
  }
  for (const key of Object.keys(document)) {
    if (!KNOWN_KEYS.includes(key)) {
      problems.push(`unknown key ${quoteInput(key)} (known: ${KNOWN_KEYS.join(', ')})`)
    }
  }
  const tokens = parseTokens(document.tokens, problems)
  const config: {
    -readonly [K in keyof ServerConfig]: ServerConfig[K]
  } = { tokens }
  const { dataFolder, bodyLimitBytes, minimumMatchableSize, maximumMatchableSize, externalUrl } =
    document
  if (dataFolder !== undefined) {
    if (typeof dataFolder === 'string' && dataFolder !== '') config.dataFolder = dataFolder
    else problems.push('dataFolder must be a non-empty string')
  }
  if (bodyLimitBytes !== undefined) {
    if (isCount(bodyLimitBytes) && bodyLimitBytes > 0) config.bodyLimitBytes = bodyLimitBytes
    else problems.push('bodyLimitBytes must be a positive whole number of bytes')
  }
  if (minimumMatchableSize !== undefined) {
    if (isCount(minimumMatchableSize)) config.minimumMatchableSize = minimumMatchableSize
    else problems.push('minimumMatchableSize must be a whole number of bytes, 0 or more')
  }
  if (maximumMatchableSize !== undefined) {
    if (isCount(maximumMatchableSize)) config.maximumMatchableSize = maximumMatchableSize
    else problems.push('maximumMatchableSize must be a whole number of bytes, 0 or more')
  }
  if (externalUrl !== undefined) {
    if (typeof externalUrl === 'string' && /^https?:\/\/[^/]+/.test(externalUrl)) {
      config.externalUrl = externalUrl.replace(/\/+$/, '')
    } else {
      problems.push('externalUrl must be an http(s) URL such as https://packages.example.org')
    }
  }
  if (document.spice !== undefined) {
    const spice = parseSpiceConfig(document.spice, problems)
    if (spice !== undefined) config.spice = spice
  }
  if (document.codenow !== undefined) {
    const codenow = parseCodenowConfig(document.codenow, problems)
    if (codenow !== undefined) config.codenow = codenow
  }
  if (problems.length > 0) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Server config ${source} is invalid: ${problems.join('; ')}.`,
      { details: { problems } },
    )
  }
  return config
}
