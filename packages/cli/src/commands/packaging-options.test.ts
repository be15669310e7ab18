import { describe, expect, it } from 'vitest'
import { UsageError } from '../usage-error.js'
import { parsePackagingOptions } from './packaging-options.js'

describe('parsePackagingOptions', () => {
  it('turns every packaging flag into core options', () => {
    expect(
      parsePackagingOptions(
        'push',
        {
          mode: 'directory',
          include: ['src/**'],
          exclude: ['*.log'],
          'follow-symlinks': true,
          'allow-empty': true,
          'no-ignore-files': true,
          'allow-refs': true,
          'compression-level': '9',
          'source-date-epoch': '315532800',
          'github-api-url': 'http://127.0.0.1:9/api',
        },
        'gh-token',
      ),
    ).toEqual({
      mode: 'directory',
      include: ['src/**'],
      exclude: ['*.log'],
      followSymlinks: true,
      allowEmpty: true,
      ignoreFiles: false,
      allowRefs: true,
      compressionLevel: 9,
      sourceDateEpoch: 315532800,
      github: { apiBaseUrl: 'http://127.0.0.1:9/api', token: 'gh-token' },
    })
  })

  it('keeps ignore files on and sends no empty token by default', () => {
    const settings = parsePackagingOptions('generate', {}, '')
    expect(settings.mode).toBe('auto')
    expect(settings).not.toHaveProperty('ignoreFiles')
    expect(settings.github).toEqual({})
  })

  it('refuses an unknown mode with a hint at the command', () => {
    let error: unknown
    try {
      parsePackagingOptions('push', { mode: 'tarball' }, undefined)
    } catch (caught) {
      error = caught
    }
    expect(error).toBeInstanceOf(UsageError)
    expect((error as UsageError).message).toBe(
      '--mode must be one of auto, spicepod, directory, got "tarball"',
    )
    expect((error as UsageError).command).toBe('push')
  })
})
