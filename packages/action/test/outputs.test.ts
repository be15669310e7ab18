import { beforeEach, describe, expect, it, vi } from 'vitest'
import * as core from './fixtures/actions-core.js'

vi.mock('@actions/core', () => import('./fixtures/actions-core.js'))

const { setReleaseOutputs } = await import('../src/outputs.js')

const DOWNLOAD = 'https://github.com/octo-org/hello-pod/releases/download/v1.2.3'

function release(assetUrls: readonly string[]) {
  return {
    id: 7,
    tag: 'v1.2.3',
    url: 'https://github.com/octo-org/hello-pod/releases/tag/v1.2.3',
    draft: false,
    assetUrls,
    changed: [],
  }
}

describe('setReleaseOutputs', () => {
  beforeEach(() => {
    core.setOutput.mockReset()
  })

  it('gives each attached file its own download URL output, the statement included', () => {
    setReleaseOutputs(
      release([`${DOWNLOAD}/app.zip`, `${DOWNLOAD}/app.zip.sha256`, `${DOWNLOAD}/app.intoto.json`]),
    )
    expect(Object.fromEntries(core.setOutput.mock.calls)).toEqual({
      'release-id': '7',
      'release-url': 'https://github.com/octo-org/hello-pod/releases/tag/v1.2.3',
      'asset-url': `${DOWNLOAD}/app.zip`,
      'checksum-asset-url': `${DOWNLOAD}/app.zip.sha256`,
      'provenance-asset-url': `${DOWNLOAD}/app.intoto.json`,
    })
  })

  it('leaves provenance-asset-url empty when no statement was attached', () => {
    setReleaseOutputs(release([`${DOWNLOAD}/app.zip`, `${DOWNLOAD}/app.zip.sha256`]))
    expect(Object.fromEntries(core.setOutput.mock.calls)).toMatchObject({
      'checksum-asset-url': `${DOWNLOAD}/app.zip.sha256`,
      'provenance-asset-url': '',
    })
  })
})
