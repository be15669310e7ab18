import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isPackwrightError } from '@packwright/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashToken } from '../auth/access-token.js'
import { loadServerConfig } from '../config/load-server-config.js'
import { resolveCodenowApiKeys } from './codenow-api-key.js'

describe('codenow config', () => {
  let folder: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'packwright-codenow-config-'))
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  const shopHash = hashToken('shop-key')

  it('reads keys with their applications and rates', async () => {
    const path = join(folder, 'server.yaml')
    await writeFile(
      path,
      [
        'codenow:',
        '  requestsPerMinute: 120',
        '  apiKeys:',
        '    - name: shop-ci',
        `      sha256: ${shopHash.toUpperCase()}`,
        '      applications: [shop, shop-admin]',
        '      requestsPerMinute: 30',
        '    - name: ops',
        `      sha256: ${hashToken('ops-key')}`,
        '      applications: ["*"]',
        '',
      ].join('\n'),
    )
    expect(await loadServerConfig(path)).toEqual({
      tokens: [],
      codenow: {
        requestsPerMinute: 120,
        apiKeys: [
          {
            name: 'shop-ci',
            sha256: shopHash,
            applications: ['shop', 'shop-admin'],
            requestsPerMinute: 30,
          },
          { name: 'ops', sha256: hashToken('ops-key'), applications: ['*'] },
        ],
      },
    })
  })

  it('lists every problem at once, never echoing a key', async () => {
    const path = join(folder, 'bad.json')
    await writeFile(
      path,
      JSON.stringify({
        codenow: {
          requestsPerMinute: 0,
          colour: 'blue',
          apiKeys: [{ name: '', key: 'plain-key', sha256: 'abc', applications: [] }, 'x'],
        },
      }),
    )
    const failure = await loadServerConfig(path).catch((error: unknown) => error)
    expect(isPackwrightError(failure, 'INVALID_ARGUMENT')).toBe(true)
    const message = (failure as Error).message
    for (const part of [
      'codenow has unknown key "colour" (known: apiKeys, requestsPerMinute)',
      "codenow.apiKeys[0].key is not accepted: list the key's sha256 instead",
      'codenow.apiKeys[0].name must be a non-empty string',
      'codenow.apiKeys[0].sha256 must be 64 hex characters (the sha256 of the key)',
      'codenow.apiKeys[0].applications must be a non-empty list of application ids, or ["*"] for all',
      'codenow.apiKeys[1] must be an object {name, sha256, applications}',
      'codenow.requestsPerMinute must be a whole number above 0',
    ]) {
      expect(message).toContain(part)
    }
    expect(message).not.toContain('plain-key')
  })

  it('adds the admin token as a key for every application, stored hashed', () => {
    const configured = [{ name: 'shop', sha256: shopHash, applications: ['shop'] }]
    expect(resolveCodenowApiKeys(configured, undefined)).toEqual(configured)
    expect(resolveCodenowApiKeys(configured, '')).toEqual(configured)
    const keys = resolveCodenowApiKeys(configured, 'dev-secret')
    expect(keys[1]).toEqual({
      name: 'PACKWRIGHT_TOKEN',
      sha256: hashToken('dev-secret'),
      applications: ['*'],
    })
    expect(JSON.stringify(keys)).not.toContain('dev-secret')
  })
})
