import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isPackwrightError } from '@packwright/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadSpiceSettings } from '../spice/load-spice-settings.js'
import { parseServerConfig } from './parse-server-config.js'

describe('server config: spice', () => {
  let folder: string
  beforeAll(async () => {
    folder = await mkdtemp(join(tmpdir(), 'packwright-spice-config-'))
  })
  afterAll(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('reads the GitHub API URL, the token file and the cache switch', () => {
    const config = parseServerConfig(
      {
        tokens: [],
        spice: {
          githubApiUrl: 'https://ghe.example.com/api/v3/',
          githubTokenFile: '/run/secrets/github-token',
          cache: false,
        },
      },
      '"server.yaml"',
    )
    expect(config.spice).toEqual({
      githubApiUrl: 'https://ghe.example.com/api/v3',
      githubTokenFile: '/run/secrets/github-token',
      cache: false,
    })
  })

  it('lists every problem of the section, and never repeats a token written in it', () => {
    const failure = (() => {
      try {
        parseServerConfig(
          {
            spice: {
              githubApiUrl: 'ftp://ghe.example.com',
              githubToken: 'config-file-token-not-secret-1',
              githubTokenFile: '',
              cache: 'yes',
              colour: 'blue',
            },
          },
          '"server.yaml"',
        )
      } catch (error) {
        return error
      }
      return undefined
    })()
    expect(isPackwrightError(failure, 'INVALID_ARGUMENT')).toBe(true)
    const message = (failure as Error).message
    for (const part of [
      'spice.githubApiUrl must be an http(s) URL',
      'spice.githubToken is not accepted: put the token in a file',
      'spice.githubTokenFile must be the path of a file',
      'spice.cache must be true or false',
      'spice has unknown key "colour"',
    ]) {
      expect(message).toContain(part)
    }
    expect(message).not.toContain('config-file-token-not-secret-1')
    expect(() => parseServerConfig({ spice: [] }, '"x"')).toThrow(/spice must be a mapping/)
  })

  it('loads the default token from its file, trimmed, and names a bad file without its content', async () => {
    const file = join(folder, 'token')
    await writeFile(file, '  token-file-token-not-secret-2\n')
    expect(
      await loadSpiceSettings({ githubApiUrl: 'https://api.github.com', githubTokenFile: file }),
    ).toEqual({
      githubApiUrl: 'https://api.github.com',
      githubToken: 'token-file-token-not-secret-2',
    })
    expect(await loadSpiceSettings(undefined)).toEqual({})

    await expect(loadSpiceSettings({ githubTokenFile: join(folder, 'missing') })).rejects.toThrow(
      /Could not read the GitHub token file .*missing.*: ENOENT/,
    )
    const empty = join(folder, 'empty')
    await writeFile(empty, '\n')
    await expect(loadSpiceSettings({ githubTokenFile: empty })).rejects.toThrow(/is empty/)
    const large = join(folder, 'large')
    await writeFile(large, `ghp_${'x'.repeat(5000)}`)
    const error = await loadSpiceSettings({ githubTokenFile: large }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/larger than 4096 bytes/)
    expect((error as Error).message).not.toContain('xxxx')
  })
})
