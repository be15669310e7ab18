import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isPackwrightError } from '@packwright/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../auth/access-token.js'
import { loadServerConfig } from './load-server-config.js'
import { resolveAccessTokens } from './resolve-access-tokens.js'

describe('server config', () => {
  let folder: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'packwright-config-'))
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  async function file(name: string, content: string): Promise<string> {
    const path = join(folder, name)
    await writeFile(path, content)
    return path
  }

  const ciHash = hashToken('ci-secret')

  it('reads JSON', async () => {
    const path = await file(
      'server.json',
      JSON.stringify({
        tokens: [{ name: 'ci', sha256: ciHash, scopes: ['write'] }],
        bodyLimitBytes: 1024,
        minimumMatchableSize: 0,
        externalUrl: 'https://packages.example.org/',
      }),
    )
    expect(await loadServerConfig(path)).toEqual({
      tokens: [{ name: 'ci', sha256: ciHash, scopes: ['write'] }],
      bodyLimitBytes: 1024,
      minimumMatchableSize: 0,
      externalUrl: 'https://packages.example.org',
    })
  })

  it('reads YAML', async () => {
    const path = await file(
      'server.yaml',
      `tokens:\n  - name: reader\n    sha256: ${ciHash.toUpperCase()}\n    scopes: [read]\ndataFolder: /srv/packwright\nmaximumMatchableSize: 536870912\n`,
    )
    expect(await loadServerConfig(path)).toEqual({
      tokens: [{ name: 'reader', sha256: ciHash, scopes: ['read'] }],
      dataFolder: '/srv/packwright',
      maximumMatchableSize: 536870912,
    })
  })

  it('lists every problem at once, naming the file and the key', async () => {
    const path = await file(
      'bad.yaml',
      [
        'tokens:',
        '  - name: ci',
        '    token: plain-secret',
        '    sha256: abc',
        '    scopes: [deploy]',
        'bodyLimitBytes: -1',
        'colour: blue',
        '',
      ].join('\n'),
    )
    const failure = await loadServerConfig(path).catch((error: unknown) => error)
    expect(isPackwrightError(failure, 'INVALID_ARGUMENT')).toBe(true)
    const message = (failure as Error).message
    expect(message).toContain(path)
    for (const part of [
      'unknown key "colour"',
      "tokens[0].token is not accepted: list the token's sha256 instead",
      'tokens[0].sha256 must be 64 hex characters',
      'tokens[0].scopes must be a non-empty list of read, write, admin',
      'bodyLimitBytes must be a positive whole number of bytes',
    ]) {
      expect(message).toContain(part)
    }
    expect(message).not.toContain('plain-secret')
  })

  it('explains a file it cannot read or parse', async () => {
    await expect(loadServerConfig(join(folder, 'missing.yaml'))).rejects.toThrow(
      /Could not read server config .*missing\.yaml/,
    )
    const broken = await file('broken.yaml', 'tokens: [\n')
    await expect(loadServerConfig(broken)).rejects.toThrow(/neither valid JSON nor YAML/)
    const list = await file('list.json', '[1, 2]')
    await expect(loadServerConfig(list)).rejects.toThrow(/must be a mapping of settings/)
  })

  it('adds PACKWRIGHT_TOKEN as one admin token, stored hashed', () => {
    const configured = [{ name: 'ci', sha256: ciHash, scopes: ['write' as const] }]
    expect(resolveAccessTokens(configured, undefined)).toEqual(configured)
    expect(resolveAccessTokens(configured, '')).toEqual(configured)
    const tokens = resolveAccessTokens(configured, 'dev-secret')
    expect(tokens[1]).toEqual({
      name: 'PACKWRIGHT_TOKEN',
      sha256: hashToken('dev-secret'),
      scopes: ['admin'],
    })
    expect(JSON.stringify(tokens)).not.toContain('dev-secret')
  })
})
