import { timingSafeEqual } from 'node:crypto'
import { hashToken } from '../auth/access-token.js'

/** Grants access to every application. */
export const ALL_APPLICATIONS = '*'

/** A key the CodeNOW routes accept in `X-Codenow-Api-Key`; only its sha256 is kept. */
export interface CodenowApiKey {
  /** A label for logs; never the key. */
  readonly name: string
  /** Lowercase hex sha256 of the key. */
  readonly sha256: string
  /** Application ids the key may use, or `*` for all. */
  readonly applications: readonly string[]
  /** Requests a minute this key may make; default: the server's. */
  readonly requestsPerMinute?: number
}

export function mayUseApplication(key: CodenowApiKey, applicationId: string): boolean {
  return key.applications.includes(ALL_APPLICATIONS) || key.applications.includes(applicationId)
}

/**
 * Finds the key a presented one equals, hashing it first and comparing
 * against every configured hash in constant time.
 */
export function createCodenowKeyVerifier(
  keys: readonly CodenowApiKey[],
): (presented: string) => CodenowApiKey | undefined {
  const known = keys.map((key) => ({ key, digest: Buffer.from(key.sha256, 'hex') }))
  return (presented) => {
    const digest = Buffer.from(hashToken(presented), 'hex')
    let found: CodenowApiKey | undefined
    for (const candidate of known) {
      if (timingSafeEqual(candidate.digest, digest) && found === undefined) found = candidate.key
    }
    return found
  }
}

/**
 * The CodeNOW keys a server accepts: those of its config, plus the admin
 * token handed in by the caller (the command line reads `PACKWRIGHT_TOKEN`),
 * which may use every application.
 */
export function resolveCodenowApiKeys(
  configured: readonly CodenowApiKey[],
  adminToken: string | undefined,
): CodenowApiKey[] {
  const keys = [...configured]
  if (adminToken !== undefined && adminToken !== '') {
    keys.push({
      name: 'PACKWRIGHT_TOKEN',
      sha256: hashToken(adminToken),
      applications: [ALL_APPLICATIONS],
    })
  }
  return keys
}
