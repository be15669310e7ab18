import { timingSafeEqual } from 'node:crypto'
import { type AccessToken, hashToken } from './access-token.js'

export type TokenVerifier = (presented: string) => AccessToken | undefined

/**
 * Finds the configured token a presented one equals. The presented token is
 * hashed first and compared against every configured hash in constant time,
 * so neither the match nor its position shows in the timing.
 */
export function createTokenVerifier(tokens: readonly AccessToken[]): TokenVerifier {
  const known = tokens.map((token) => ({ token, digest: Buffer.from(token.sha256, 'hex') }))
  return (presented) => {
    const digest = Buffer.from(hashToken(presented), 'hex')
    let found: AccessToken | undefined
    for (const candidate of known) {
      if (timingSafeEqual(candidate.digest, digest) && found === undefined) found = candidate.token
    }
    return found
  }
}
