import { describe, expect, it } from 'vitest'
import { grants, hashToken } from './access-token.js'
import { createTokenVerifier } from './token-verifier.js'

describe('token verifier', () => {
  const tokens = [
    { name: 'ci', sha256: hashToken('first'), scopes: ['write' as const] },
    { name: 'ops', sha256: hashToken('second'), scopes: ['admin' as const] },
  ]

  it('finds the configured token a presented one equals, by its hash', () => {
    const verify = createTokenVerifier(tokens)
    expect(verify('first')?.name).toBe('ci')
    expect(verify('second')?.name).toBe('ops')
    expect(verify('third')).toBeUndefined()
    expect(verify('')).toBeUndefined()
    expect(createTokenVerifier([])('first')).toBeUndefined()
  })

  it('grants read to write, and everything to admin', () => {
    expect(grants(['read'], 'read')).toBe(true)
    expect(grants(['read'], 'write')).toBe(false)
    expect(grants(['write'], 'read')).toBe(true)
    expect(grants(['write'], 'admin')).toBe(false)
    expect(grants(['admin'], 'write')).toBe(true)
    expect(grants([], 'read')).toBe(false)
  })
})
