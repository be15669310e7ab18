import { type AccessToken, hashToken } from '../auth/access-token.js'

/**
 * The tokens a server accepts: those of its config, plus one admin token
 * handed in by the caller (the command line reads it from
 * `PACKWRIGHT_TOKEN`; nothing below the edge reads the environment).
 */
export function resolveAccessTokens(
  configured: readonly AccessToken[],
  adminToken: string | undefined,
): AccessToken[] {
  const tokens = [...configured]
  if (adminToken !== undefined && adminToken !== '') {
    tokens.push({ name: 'PACKWRIGHT_TOKEN', sha256: hashToken(adminToken), scopes: ['admin'] })
  }
  return tokens
}
