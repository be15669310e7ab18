import { describe, expect, it } from 'vitest'
import {
  createMemorySourceReader,
  type MemoryFile,
} from '../../test/helpers/memory-source-reader.js'
import { rejection } from '../../test/helpers/rejection.js'
import { planSpicepodPackage } from './plan-spicepod-package.js'

const pod = (body = '') => `version: v1\nkind: Spicepod\nname: test\n${body}`

const plan = (files: Record<string, MemoryFile>) =>
  planSpicepodPackage({ reader: createMemorySourceReader(files), manifestPath: 'spicepod.yaml' })

describe('spicepod link messages', () => {
  it('says no file exists at a missing link with an extension', async () => {
    const error = await rejection(
      plan({
        'spicepod.yaml': pod('datasets:\n  - from: file:data.v2/x.csv\n    name: d\n'),
        'data.v2/x.csv/inner.csv': 'a folder named like a file',
      }),
    )
    expect(error.code).toBe('SPICEPOD_LINK_NOT_FOUND')
    expect(error.message).toBe(
      '`datasets[0].from` in spicepod.yaml links "file:data.v2/x.csv", but no file exists at "data.v2/x.csv".',
    )
    expect(error.hint).toBeUndefined()
  })

  it('explains how a link without an extension is read', async () => {
    const error = await rejection(
      plan({ 'spicepod.yaml': pod('datasets:\n  - from: file:data\n    name: d\n') }),
    )
    expect(error.message).toBe(
      '`datasets[0].from` in spicepod.yaml links "file:data", but there is neither a file nor a folder with files at "data".',
    )
    expect(error.hint).toBe(
      'A link without an extension is a file when one exists there, else a folder packaged with all its files; an empty folder is an error.',
    )
  })

  it('refuses a component file that is a symlink', async () => {
    const error = await rejection(
      plan({
        'spicepod.yaml': pod('models:\n  - ref: models/m\n'),
        'real.yaml': 'x',
        'models/m/model.yaml': { symlink: '../../real.yaml' },
      }),
    )
    expect(error.code).toBe('SPICEPOD_LINK_INVALID')
    expect(error.message).toBe(
      'The component file "models/m/model.yaml" is a symlink; it must be a regular file.',
    )
    expect(error.details).toMatchObject({ field: 'models[0].ref', path: 'models/m/model.yaml' })
  })

  it.each([
    [
      'datasets',
      'ds/dataset.yaml',
      'from: file:../x.csv',
      '`from` in ds/dataset.yaml is "file:../x.csv"',
    ],
    ['views', 'ds/view.yaml', 'sql_ref: ../x.sql', '`sql_ref` in ds/view.yaml is "../x.sql"'],
  ])(
    'names a field of a referenced %s file without a leading dot',
    async (section, file, link, start) => {
      const error = await rejection(
        plan({
          'spicepod.yaml': pod(`${section}:\n  - ref: ds\n`),
          [file]: `name: d\n${link}\n`,
        }),
      )
      expect(error.code).toBe('SPICEPOD_LINK_INVALID')
      expect(error.message.startsWith(`${start}, which `)).toBe(true)
      expect(error.details).toMatchObject({ field: link.split(':')[0] })
    },
  )
})
