import { createHash } from 'node:crypto'

export const SCOPES = ['read', 'write', 'admin'] as const

/**
 * What a token may do: `read` the API, `write` (create and upload; implies
 * read), `admin` (everything).
 */
export type Scope = (typeof SCOPES)[number]

/** A bearer token the server accepts; only its sha256 is ever kept. */
export interface AccessToken {
  /** A label for logs; never the token. */
  readonly name: string
  /** Lowercase hex sha256 of the token. */
  readonly sha256: string
  readonly scopes: readonly Scope[]
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

const IMPLIED: Readonly<Record<Scope, readonly Scope[]>> = {
  read: ['read'],
  write: ['read', 'write'],
  admin: ['read', 'write', 'admin'],
}

/** Whether a token with `scopes` may do what `required` guards. */
export function grants(scopes: readonly Scope[], required: Scope): boolean {
  return scopes.some((scope) => IMPLIED[scope].includes(required))
}
