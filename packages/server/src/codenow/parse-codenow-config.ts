import { quoteInput } from '@packwright/core'
import type { CodenowApiKey } from './codenow-api-key.js'
import type { CodenowOptions } from './codenow-options.js'

const SECTION_KEYS = ['apiKeys', 'requestsPerMinute']
const KEY_KEYS = ['name', 'sha256', 'applications', 'requestsPerMinute']

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isRate(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0
}

function parseKey(entry: unknown, where: string, problems: string[]): CodenowApiKey | undefined {
  if (!isRecord(entry)) {
    problems.push(`${where} must be an object {name, sha256, applications}`)
    return undefined
  }
  for (const key of Object.keys(entry)) {
    if (!KEY_KEYS.includes(key)) {
      problems.push(
        key === 'key'
          ? `${where}.key is not accepted: list the key's sha256 instead (printf %s KEY | sha256sum)`
          : `${where} has unknown key ${quoteInput(key)}`,
      )
    }
  }
  const { name, sha256, applications, requestsPerMinute } = entry
  const before = problems.length
  if (typeof name !== 'string' || name === '')
    problems.push(`${where}.name must be a non-empty string`)
  if (typeof sha256 !== 'string' || !/^[0-9a-fA-F]{64}$/.test(sha256)) {
    problems.push(`${where}.sha256 must be 64 hex characters (the sha256 of the key)`)
  }
  const validApplications =
    Array.isArray(applications) &&
    applications.length > 0 &&
    applications.every((id) => typeof id === 'string' && id !== '')
  if (!validApplications) {
    problems.push(
      `${where}.applications must be a non-empty list of application ids, or ["*"] for all`,
    )
  }
  if (requestsPerMinute !== undefined && !isRate(requestsPerMinute)) {
    problems.push(`${where}.requestsPerMinute must be a whole number above 0`)
  }
  if (problems.length > before) return undefined
  return {
    name: name as string,
    sha256: (sha256 as string).toLowerCase(),
    applications: applications as string[],
    ...(requestsPerMinute === undefined ? {} : { requestsPerMinute: requestsPerMinute as number }),
  }
}

/**
 * Checks the config's `codenow` section,
 * `{apiKeys: [{name, sha256, applications, requestsPerMinute?}], requestsPerMinute?}`,
 * pushing every problem; keys are listed by their sha256, never in clear.
 */
export function parseCodenowConfig(value: unknown, problems: string[]): CodenowOptions | undefined {
  if (!isRecord(value)) {
    problems.push('codenow must be a mapping {apiKeys, requestsPerMinute}')
    return undefined
  }
  for (const key of Object.keys(value)) {
    if (!SECTION_KEYS.includes(key)) {
      problems.push(
        `codenow has unknown key ${quoteInput(key)} (known: ${SECTION_KEYS.join(', ')})`,
      )
    }
  }
  const { apiKeys, requestsPerMinute } = value
  const before = problems.length
  const keys: CodenowApiKey[] = []
  if (apiKeys !== undefined && !Array.isArray(apiKeys)) {
    problems.push('codenow.apiKeys must be a list of {name, sha256, applications}')
  } else {
    ;(apiKeys ?? []).forEach((entry: unknown, index: number) => {
      const key = parseKey(entry, `codenow.apiKeys[${index}]`, problems)
      if (key !== undefined) keys.push(key)
    })
  }
  if (requestsPerMinute !== undefined && !isRate(requestsPerMinute)) {
    problems.push('codenow.requestsPerMinute must be a whole number above 0')
  }
  if (problems.length > before) return undefined
  return {
    apiKeys: keys,
    ...(requestsPerMinute === undefined ? {} : { requestsPerMinute: requestsPerMinute as number }),
  }
}
