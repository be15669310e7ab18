import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { type PlannedEntry } from '../plan/planned-entry.js'
import { type SourceReader } from '../source/source-reader.js'
import {
  createMemorySourceReader,
  type MemoryFile,
} from '../../test/helpers/memory-source-reader.js'
import { expectSpicepodError } from '../../test/helpers/spicepod-expect-error.js'
import { planSpicepodPackage } from './plan-spicepod-package.js'

const READ = 'Failed to read object from object store.'
const PARSE = 'Unable to parse the provided Spicepod.'
const COMPONENT = 'Failed to parse the provided Spicepod component.'
const INVALID = 'A file referenced by the Spicepod is not a valid path.'
const ZIP = 'Failed to create zip archive.'

function pod(body = '', version = 'v1'): string {
  return `version: ${version}\nkind: Spicepod\nname: test\n${body}`
}

function plan(files: Record<string, MemoryFile>, manifestPath = 'spicepod.yaml') {
  return planSpicepodPackage({ reader: createMemorySourceReader(files), manifestPath })
}

function paths(entries: readonly PlannedEntry[]): string[] {
  return entries.map((entry) => entry.zipPath)
}

function sources(entries: readonly PlannedEntry[]): Record<string, string> {
  return Object.fromEntries(entries.map((entry) => [entry.zipPath, entry.sourcePath]))
}

describe('planSpicepodPackage: Spice rules', () => {
  it('stores the root manifest as spicepod.yaml at the zip root whatever its name', async () => {
    const entries = await plan({ 'spicepod_ftp.yml': pod(), 'other.txt': 'x' }, 'spicepod_ftp.yml')
    expect(entries).toEqual([
      {
        zipPath: 'spicepod.yaml',
        sourcePath: 'spicepod_ftp.yml',
        kind: 'file',
        size: pod().length,
        executable: false,
      },
    ])
  })

  it('packages dependencies as spicepods/<dep>/spicepod.yaml and follows their links from their folder', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('dependencies:\n  - org/dep\n'),
      'spicepods/org/dep/spicepod.yaml': pod(
        'dependencies:\n  - nested\ndatasets:\n  - from: file:data/dep.csv\n    name: d\n',
      ),
      'spicepods/nested/spicepod.yaml': pod('datasets:\n  - from: file:never.csv\n    name: n\n'),
      'spicepods/org/dep/data/dep.csv': 'a,b',
      'data/dep.csv': 'a copy at the root: not linked',
    })
    expect(sources(entries)).toEqual({
      'spicepod.yaml': 'spicepod.yaml',
      'spicepods/org/dep/data/dep.csv': 'spicepods/org/dep/data/dep.csv',
      'spicepods/org/dep/spicepod.yaml': 'spicepods/org/dep/spicepod.yaml',
    })
  })

  it('does not follow dependencies of dependencies', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('dependencies: [a]\n'),
      'spicepods/a/spicepod.yaml': pod('dependencies: [b]\n'),
      'spicepods/b/spicepod.yaml': pod(),
    })
    expect(paths(entries)).not.toContain('spicepods/b/spicepod.yaml')
    expect(paths(entries)).toContain('spicepods/a/spicepod.yaml')
  })

  it('fails with SPICEPOD_PARSE_FAILED naming an invalid dependency manifest', async () => {
    await expectSpicepodError(
      plan({
        'spicepod.yaml': pod('dependencies: [a]\n'),
        'spicepods/a/spicepod.yaml': 'kind: Spicepod\n',
      }),
      'SPICEPOD_PARSE_FAILED',
      PARSE,
      { manifest: 'spicepods/a/spicepod.yaml' },
    )
  })

  it('copies catalog, model and embeddings ref files as <dir>/<kind>.yaml without parsing them', async () => {
    const entries = await plan({
      'spicepod.yaml': pod(
        'catalogs:\n  - ref: catalogs/c\nmodels:\n  - ref: models/m\nembeddings:\n  - ref: emb/e\n',
      ),
      'catalogs/c/catalog.yaml': 'not: [valid yaml',
      'models/m/model.yml': 'from: file:weights.bin\nname: m\n',
      'emb/e/embeddings.yaml': 'x: 1',
    })
    expect(sources(entries)).toEqual({
      'catalogs/c/catalog.yaml': 'catalogs/c/catalog.yaml',
      'emb/e/embeddings.yaml': 'emb/e/embeddings.yaml',
      'models/m/model.yaml': 'models/m/model.yml',
      'spicepod.yaml': 'spicepod.yaml',
    })
  })

  it('prefers <kind>.yaml over <kind>.yml and does not package the .yml', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('models:\n  - ref: m\n'),
      'm/model.yaml': 'a',
      'm/model.yml': 'b',
    })
    expect(sources(entries)['m/model.yaml']).toBe('m/model.yaml')
    expect(entries.map((entry) => entry.sourcePath)).not.toContain('m/model.yml')
  })

  it('parses dataset ref files and follows their file: source', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('datasets:\n  - ref: datasets/trips\n'),
      'datasets/trips/dataset.yml': 'name: trips\nfrom: file:data/trips.parquet\n',
      'data/trips.parquet': 'PAR1',
    })
    expect(sources(entries)).toEqual({
      'data/trips.parquet': 'data/trips.parquet',
      'datasets/trips/dataset.yaml': 'datasets/trips/dataset.yml',
      'spicepod.yaml': 'spicepod.yaml',
    })
  })

  it('fails with SPICEPOD_COMPONENT_PARSE_FAILED for an invalid referenced dataset', async () => {
    const error = await expectSpicepodError(
      plan({
        'spicepod.yaml': pod('datasets:\n  - ref: datasets/x\n'),
        'datasets/x/dataset.yaml': 'version: v1\nkind: Dataset\nname: x\n',
      }),
      'SPICEPOD_COMPONENT_PARSE_FAILED',
      COMPONENT,
      { manifest: 'datasets/x/dataset.yaml' },
    )
    expect(error.message).toContain('unknown field `version`')
  })

  it('names the component file and its field when a referenced dataset links a missing file', async () => {
    await expectSpicepodError(
      plan({
        'spicepod.yaml': pod('datasets:\n  - ref: datasets/x\n'),
        'datasets/x/dataset.yaml': 'name: x\nfrom: file:data/x.csv\n',
      }),
      'SPICEPOD_LINK_NOT_FOUND',
      READ,
      { manifest: 'datasets/x/dataset.yaml', field: 'from', path: 'data/x.csv' },
    )
  })

  it('fails with SPICEPOD_COMPONENT_PARSE_FAILED for a referenced view that is not YAML', async () => {
    await expectSpicepodError(
      plan({ 'spicepod.yaml': pod('views:\n  - ref: v\n'), 'v/view.yaml': 'name: [x' }),
      'SPICEPOD_COMPONENT_PARSE_FAILED',
      COMPONENT,
      { manifest: 'v/view.yaml' },
    )
  })

  it('parses view ref files and follows their sql_ref', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('views:\n  - ref: views/top\n'),
      'views/top/view.yaml': 'name: top\nsql_ref: views/top/top.sql\n',
      'views/top/top.sql': 'select 1',
    })
    expect(paths(entries)).toEqual(['spicepod.yaml', 'views/top/top.sql', 'views/top/view.yaml'])
  })

  it('follows inline views[].sql_ref', async () => {
    const entries = await plan({
      'spicepod.yaml': pod(
        'views:\n  - name: v\n    sql_ref: sql/v.sql\n  - name: w\n    sql: select 1\n',
      ),
      'sql/v.sql': 'select 2',
    })
    expect(paths(entries)).toEqual(['spicepod.yaml', 'sql/v.sql'])
  })

  it.each([
    ['file:a.csv', 'a.csv'],
    ['file:./a.csv', 'a.csv'],
    ['file://a.csv', 'a.csv'],
    ['file://./a.csv', 'a.csv'],
    ['file:/abs/x.csv', 'abs/x.csv'],
    ['file:///abs/x.csv', 'abs/x.csv'],
  ])('strips %s to %s', async (from, expected) => {
    const entries = await plan({
      'spicepod.yaml': pod(`datasets:\n  - from: ${from}\n    name: d\n`),
      'a.csv': '1',
      'abs/x.csv': '2',
    })
    expect(paths(entries)).toEqual([expected, 'spicepod.yaml'].sort())
  })

  it('does not follow non-file sources, model files or params', async () => {
    const entries = await plan({
      'spicepod.yaml': pod(
        [
          'datasets:',
          '  - from: s3://bucket/a.csv',
          '    name: a',
          '  - from: https://example.com/b.csv',
          '    name: b',
          '  - from: File:c.csv',
          '    name: c',
          '  - from: duckdb:d.db',
          '    name: d',
          '    params:',
          '      duckdb_open: d.db',
          'models:',
          '  - from: file:model.bin',
          '    name: m',
          'runtime:',
          '  tls:',
          '    certificate_file: cert.pem',
          '',
        ].join('\n'),
      ),
      'a.csv': '1',
      'c.csv': '1',
      'd.db': '1',
      'model.bin': '1',
      'cert.pem': '1',
    })
    expect(paths(entries)).toEqual(['spicepod.yaml'])
  })

  it('packages every file under an extension-less folder link, recursively', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('datasets:\n  - from: file:data\n    name: d\n'),
      'data/a.csv': '1',
      'data/deep/b.csv': '2',
      'data/.hidden': '3',
      'database.csv': 'not under data/',
    })
    expect(paths(entries)).toEqual([
      'data/.hidden',
      'data/a.csv',
      'data/deep/b.csv',
      'spicepod.yaml',
    ])
  })

  it('fails with "Failed to read object from object store." for a missing linked file', async () => {
    const error = await expectSpicepodError(
      plan({
        'spicepod.yaml': pod(
          'datasets:\n  - from: file:a.csv\n    name: a\n  - from: file:missing.csv\n    name: b\n',
        ),
        'a.csv': '1',
      }),
      'SPICEPOD_LINK_NOT_FOUND',
      READ,
      { manifest: 'spicepod.yaml', field: 'datasets[1].from', path: 'missing.csv' },
    )
    expect(error.message).toContain('datasets[1].from')
  })

  it('fails with SPICEPOD_READ_FAILED when the root manifest is missing', async () => {
    await expectSpicepodError(plan({ 'other.yaml': pod() }), 'SPICEPOD_READ_FAILED', READ, {
      manifest: 'spicepod.yaml',
    })
  })

  it('fails with SPICEPOD_READ_FAILED when the reader fails', async () => {
    const reader: SourceReader = {
      ...createMemorySourceReader({ 'spicepod.yaml': pod() }),
      stat: () => Promise.reject(new Error('connection reset')),
    }
    const error = await expectSpicepodError(
      planSpicepodPackage({ reader, manifestPath: 'spicepod.yaml' }),
      'SPICEPOD_READ_FAILED',
      READ,
    )
    expect(error.message).toContain('connection reset')
  })

  it('passes the reader’s own PackwrightErrors through unchanged', async () => {
    const failure = new PackwrightError('GITHUB_AUTH_FAILED', 'Bad credentials.')
    const reader: SourceReader = {
      ...createMemorySourceReader({}),
      stat: () => Promise.reject(failure),
    }
    await expect(planSpicepodPackage({ reader, manifestPath: 'spicepod.yaml' })).rejects.toBe(
      failure,
    )
  })

  it('fails with SPICEPOD_PARSE_FAILED for invalid YAML', async () => {
    await expectSpicepodError(
      plan({ 'spicepod.yaml': 'version: v1\nkind: [' }),
      'SPICEPOD_PARSE_FAILED',
      PARSE,
      {
        manifest: 'spicepod.yaml',
      },
    )
  })

  it('copies tool refs from tool.yaml as Spice does', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('tools:\n  - ref: tools/t\n'),
      'tools/t/tool.yml': 'x',
    })
    expect(sources(entries)['tools/t/tool.yaml']).toBe('tools/t/tool.yml')
  })

  it('keeps links in a linked folder that are symlinks inside the package root as symlink entries', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('datasets:\n  - from: file:data\n    name: d\n'),
      'data/a.csv': '1',
      'data/latest.csv': { symlink: 'a.csv' },
    })
    expect(entries.find((entry) => entry.zipPath === 'data/latest.csv')).toEqual({
      zipPath: 'data/latest.csv',
      sourcePath: 'data/latest.csv',
      kind: 'symlink',
      size: 5,
      executable: false,
      linkTarget: 'a.csv',
    })
  })

  it('packages the target of a linked symlink, so the package holds no dangling link', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('datasets:\n  - from: file:latest.csv\n    name: d\n'),
      'latest.csv': { symlink: 'data/2024.csv' },
      'data/2024.csv': 'a,b',
      'data/2023.csv': 'not linked',
    })
    expect(sources(entries)).toEqual({
      'data/2024.csv': 'data/2024.csv',
      'latest.csv': 'latest.csv',
      'spicepod.yaml': 'spicepod.yaml',
    })
  })

  it('packages every symlink of a chain and a symlinked folder on the way', async () => {
    const entries = await plan({
      'spicepod.yaml': pod(
        'datasets:\n  - from: file:a.csv\n    name: a\n  - from: file:via.csv\n    name: v\n',
      ),
      'a.csv': { symlink: 'b.csv' },
      'b.csv': { symlink: 'data/c.csv' },
      'data/c.csv': 'c',
      'via.csv': { symlink: 'current/v.csv' },
      current: { symlink: 'releases/v2' },
      'releases/v2/v.csv': 'v',
      'releases/v1/v.csv': 'old',
    })
    expect(paths(entries)).toEqual([
      'a.csv',
      'b.csv',
      'current',
      'data/c.csv',
      'releases/v2/v.csv',
      'spicepod.yaml',
      'via.csv',
    ])
  })

  it('packages all files of a folder a linked symlink points to', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('datasets:\n  - from: file:current\n    name: d\n'),
      current: { symlink: 'releases/v2' },
      'releases/v2/a.csv': 'a',
      'releases/v2/sub/b.csv': 'b',
      'releases/v1/a.csv': 'old',
    })
    expect(paths(entries)).toEqual([
      'current',
      'releases/v2/a.csv',
      'releases/v2/sub/b.csv',
      'spicepod.yaml',
    ])
  })

  it('fails with SYMLINK_TARGET_MISSING for a linked symlink that points at nothing', async () => {
    const error = await expectSpicepodError(
      plan({
        'spicepod.yaml': pod('datasets:\n  - from: file:data\n    name: d\n'),
        'data/a.csv': '1',
        'data/latest.csv': { symlink: 'gone.csv' },
      }),
      'SYMLINK_TARGET_MISSING',
      'Symlink',
      { manifest: 'spicepod.yaml', field: 'datasets[0].from', path: 'data/latest.csv' },
    )
    expect(error.message).toContain('"data/gone.csv"')
  })

  it.each([['/etc/passwd'], ['../../outside.csv'], ['../x/../../y']])(
    'fails with SYMLINK_ESCAPES_ROOT for a linked symlink to %s',
    async (target) => {
      await expectSpicepodError(
        plan(
          {
            'pod/spicepod.yaml': pod('datasets:\n  - from: file:data\n    name: d\n'),
            'pod/data/link.csv': { symlink: target },
            'outside.csv': 'secret',
          },
          'pod/spicepod.yaml',
        ),
        'SYMLINK_ESCAPES_ROOT',
        'Symlink',
        { manifest: 'pod/spicepod.yaml', field: 'datasets[0].from', path: 'data/link.csv' },
      )
    },
  )

  it('stops with ABORTED when the signal is aborted', async () => {
    const controller = new AbortController()
    controller.abort()
    await expect(
      planSpicepodPackage({
        reader: createMemorySourceReader({ 'spicepod.yaml': pod() }),
        manifestPath: 'spicepod.yaml',
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' })
  })

  it('logs what it planned through the injected logger', async () => {
    const messages: string[] = []
    await planSpicepodPackage({
      reader: createMemorySourceReader({ 'spicepod.yaml': pod() }),
      manifestPath: 'spicepod.yaml',
      logger: { debug: (m) => messages.push(m), info: () => undefined, warn: () => undefined },
    })
    expect(messages.some((m) => m.includes('Planned 1 files'))).toBe(true)
  })
})

describe('planSpicepodPackage: schema checks reproduce Spice parse failures', () => {
  it.each([
    ['a missing version', 'kind: Spicepod\nname: x\n', 'missing field `version`'],
    [
      'an unknown version',
      'version: v3\nkind: Spicepod\nname: x\n',
      'unknown variant "v3" for `version`',
    ],
    ['a missing kind', 'version: v1\nname: x\n', 'missing field `kind`'],
    ['a wrong kind', 'version: v1\nkind: Dataset\nname: x\n', 'for `kind`; expected `Spicepod`'],
    ['a missing name', 'version: v1\nkind: Spicepod\n', 'missing field `name`'],
    ['a numeric name', 'version: v1\nkind: Spicepod\nname: 12\n', '`name` must be a string'],
    [
      'a dataset without name',
      pod('datasets:\n  - from: file:a.csv\n'),
      'datasets[0]: missing field `name`',
    ],
    [
      'a dataset with an unknown key',
      pod('datasets:\n  - name: a\n  - name: b\n    typo: 1\n'),
      'datasets[1]: unknown field `typo`; expected one of `from`, `name`',
    ],
    [
      'an acceleration with an unknown key',
      pod('datasets:\n  - name: a\n    acceleration:\n      enabeld: true\n'),
      'datasets[0]: acceleration: unknown field `enabeld`',
    ],
    [
      'a numeric from',
      pod('datasets:\n  - name: a\n    from: 3\n'),
      'datasets[0]: `from` must be a string',
    ],
    ['a numeric ref', pod('models:\n  - ref: 3\n'), 'models[0]: `ref` must be a string'],
    [
      'a numeric sql_ref',
      pod('views:\n  - name: v\n    sql_ref: 3\n'),
      'views[0]: `sql_ref` must be a string',
    ],
    [
      'an item that is neither a component nor a ref',
      pod('models:\n  - name: m\n'),
      'models[0]: expected an inline component (with string `from` and `name`) or a reference',
    ],
    ['a non-list section', pod('datasets: {name: a}\n'), '`datasets` must be a list'],
    ['non-string dependencies', pod('dependencies: [1]\n'), 'dependencies[0] must be a string'],
  ])('rejects %s', async (_title, text, reason) => {
    const error = await expectSpicepodError(
      plan({ 'spicepod.yaml': text }),
      'SPICEPOD_PARSE_FAILED',
      PARSE,
      {
        manifest: 'spicepod.yaml',
      },
    )
    expect(error.message).toContain(reason)
  })

  it('treats a dataset item with ref and name as a reference (datasets are strict)', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('datasets:\n  - ref: d\n    name: ignored\n'),
      'd/dataset.yaml': 'name: d\n',
    })
    expect(paths(entries)).toContain('d/dataset.yaml')
  })

  it('treats a view item with name and ref as inline and ignores its ref', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('views:\n  - name: v\n    sql: select 1\n    ref: nowhere\n'),
    })
    expect(paths(entries)).toEqual(['spicepod.yaml'])
  })

  it('ignores unknown top-level keys and sections the packager does not follow', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('extra: 1\nworkers:\n  - ref: w\nsecrets: []\n'),
    })
    expect(paths(entries)).toEqual(['spicepod.yaml'])
  })

  it.each([
    ['an empty segment', 'file:a//b.csv', 'empty path segment'],
    ['a control character', '"file:a\\u0001.csv"', 'control character'],
  ])('rejects a link with %s as SPICEPOD_LINK_INVALID', async (_title, from, reason) => {
    const error = await expectSpicepodError(
      plan({ 'spicepod.yaml': pod(`datasets:\n  - from: ${from}\n    name: d\n`) }),
      'SPICEPOD_LINK_INVALID',
      INVALID,
      { manifest: 'spicepod.yaml', field: 'datasets[0].from' },
    )
    expect(error.message).toContain(reason)
  })

  it('rejects a `.` segment inside a ref as SPICEPOD_LINK_INVALID', async () => {
    await expectSpicepodError(
      plan({ 'spicepod.yaml': pod('models:\n  - ref: models/./m\n'), 'models/m/model.yaml': 'x' }),
      'SPICEPOD_LINK_INVALID',
      INVALID,
      { field: 'models[0].ref', path: 'models/./m' },
    )
  })
})

describe('planSpicepodPackage: YAML safety', () => {
  const bomb = [
    'version: v1',
    'kind: Spicepod',
    'name: bomb',
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
    'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
    'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
    'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
    'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
    'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
    'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
    'i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
    '',
  ].join('\n')

  it('fails an alias bomb (billion laughs) fast with SPICEPOD_PARSE_FAILED', async () => {
    const error = await expectSpicepodError(
      plan({ 'spicepod.yaml': bomb }),
      'SPICEPOD_PARSE_FAILED',
      PARSE,
    )
    expect(error.message).toMatch(/alias/i)
  })

  it('accepts a few ordinary aliases', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('x: &p {enabled: true}\ndatasets:\n  - name: a\n    acceleration: *p\n'),
    })
    expect(paths(entries)).toEqual(['spicepod.yaml'])
  })

  it.each([
    ['duplicate keys', pod('name: again\n'), 'unique'],
    ['a custom tag', pod('datasets:\n  - !evil {name: a}\n'), 'tag'],
    ['a non-core tag', pod('x: !!binary aGVsbG8=\n'), 'tag'],
    ['several documents', `${pod()}---\n${pod()}`, 'multiple documents'],
    ['a list at the top level', '- version: v1\n', 'must be a mapping'],
    ['an empty document', '', 'must be a mapping'],
  ])('rejects %s', async (_title, text, reason) => {
    const error = await expectSpicepodError(
      plan({ 'spicepod.yaml': text }),
      'SPICEPOD_PARSE_FAILED',
      PARSE,
    )
    expect(error.message).toContain(reason)
  })

  it('refuses a manifest over the size limit from its stat, without reading it', async () => {
    const base = createMemorySourceReader({
      'spicepod.yaml': pod('description: xxxxxxxxxxxxxxxxxxxxxxxx\n'),
    })
    let reads = 0
    const reader: SourceReader = {
      ...base,
      readBytes: (path, options) => {
        reads += 1
        return base.readBytes(path, options)
      },
    }
    const error = await expectSpicepodError(
      planSpicepodPackage({ reader, manifestPath: 'spicepod.yaml', maxYamlBytes: 40 }),
      'SPICEPOD_PARSE_FAILED',
      PARSE,
    )
    expect(error.message).toContain('limited to 40 bytes')
    expect(reads).toBe(0)
  })

  it('refuses a manifest that is not UTF-8', async () => {
    const error = await expectSpicepodError(
      plan({ 'spicepod.yaml': Uint8Array.from([0x76, 0xff, 0xfe, 0x0a]) }),
      'SPICEPOD_PARSE_FAILED',
      PARSE,
    )
    expect(error.message).toContain('UTF-8')
  })
})

describe('planSpicepodPackage: packwright differences from Spice', () => {
  it('difference 1: links resolve relative to each manifest folder; the zip is rooted at the root manifest', async () => {
    const entries = await plan(
      {
        'pods/app/spicepod.yaml': pod(
          'dependencies: [dep]\ndatasets:\n  - from: file:data.csv\n    name: d\nviews:\n  - ref: views/v\n',
        ),
        'pods/app/data.csv': 'inside',
        'pods/app/views/v/view.yaml': 'name: v\nsql_ref: views/v/v.sql\n',
        'pods/app/views/v/v.sql': 'select 1',
        'pods/app/spicepods/dep/spicepod.yaml': pod(
          'datasets:\n  - from: file:dep.csv\n    name: e\n  - ref: d\n',
        ),
        'pods/app/spicepods/dep/dep.csv': 'dep',
        'pods/app/spicepods/dep/d/dataset.yaml': 'name: d\nfrom: file:more.csv\n',
        'pods/app/spicepods/dep/more.csv': 'more',
        'pods/app/dep.csv': 'package root: not linked',
        'data.csv': 'repository root: not used',
      },
      'pods/app/spicepod.yaml',
    )
    expect(sources(entries)).toEqual({
      'data.csv': 'pods/app/data.csv',
      'spicepod.yaml': 'pods/app/spicepod.yaml',
      'spicepods/dep/d/dataset.yaml': 'pods/app/spicepods/dep/d/dataset.yaml',
      'spicepods/dep/dep.csv': 'pods/app/spicepods/dep/dep.csv',
      'spicepods/dep/more.csv': 'pods/app/spicepods/dep/more.csv',
      'spicepods/dep/spicepod.yaml': 'pods/app/spicepods/dep/spicepod.yaml',
      'views/v/v.sql': 'pods/app/views/v/v.sql',
      'views/v/view.yaml': 'pods/app/views/v/view.yaml',
    })
  })

  it('difference 1: a file next to the repository root but outside the manifest folder is not found', async () => {
    await expectSpicepodError(
      plan(
        {
          'pods/app/spicepod.yaml': pod('datasets:\n  - from: file:data.csv\n    name: d\n'),
          'data.csv': '1',
        },
        'pods/app/spicepod.yaml',
      ),
      'SPICEPOD_LINK_NOT_FOUND',
      READ,
      { manifest: 'pods/app/spicepod.yaml', field: 'datasets[0].from', path: 'data.csv' },
    )
  })

  it('difference 2: a file linked twice is packaged once', async () => {
    const entries = await plan({
      'spicepod.yaml': pod(
        [
          'dependencies: [dep]',
          'datasets:',
          '  - from: file:data/a.csv',
          '    name: a',
          '  - from: file://./data/a.csv',
          '    name: a2',
          '  - from: file:data',
          '    name: all',
          'models:',
          '  - ref: m',
          '  - ref: m/',
          '',
        ].join('\n'),
      ),
      'spicepods/dep/spicepod.yaml': pod('models:\n  - ref: /m\n'),
      'data/a.csv': '1',
      'data/b.csv': '2',
      'm/model.yaml': 'x',
    })
    expect(paths(entries)).toEqual([
      'data/a.csv',
      'data/b.csv',
      'm/model.yaml',
      'spicepod.yaml',
      'spicepods/dep/spicepod.yaml',
    ])
  })

  it('difference 2: two different files for one zip path are still an error', async () => {
    await expectSpicepodError(
      plan(
        {
          'pod.yaml': pod('datasets:\n  - from: file:spicepod.yaml\n    name: a\n'),
          'spicepod.yaml': 'other',
        },
        'pod.yaml',
      ),
      'SPICEPOD_ZIP_FAILED',
      ZIP,
      { path: 'spicepod.yaml' },
    )
  })

  it('difference 3: `./` is accepted in ref and sql_ref', async () => {
    const entries = await plan({
      'spicepod.yaml': pod(
        'models:\n  - ref: ./models/m\nviews:\n  - name: v\n    sql_ref: ./v.sql\n',
      ),
      'models/m/model.yaml': 'x',
      'v.sql': 'select 1',
    })
    expect(paths(entries)).toEqual(['models/m/model.yaml', 'spicepod.yaml', 'v.sql'])
  })

  it.each([
    ['a missing folder', {}],
    ['an empty folder (no files under it)', { 'database.csv': 'sibling, not inside' }],
  ])(
    'difference 4: an extension-less link to %s is an error naming field and path',
    async (_title, extra) => {
      const error = await expectSpicepodError(
        plan({
          'spicepod.yaml': pod('datasets:\n  - name: x\n  - from: file:database\n    name: d\n'),
          ...extra,
        }),
        'SPICEPOD_LINK_NOT_FOUND',
        READ,
        { manifest: 'spicepod.yaml', field: 'datasets[1].from', path: 'database' },
      )
      expect(error.message).toContain('`datasets[1].from` in spicepod.yaml')
      expect(error.message).toContain('"database"')
    },
  )

  it('difference 4: a ref folder without its component file names the field and the paths tried', async () => {
    const error = await expectSpicepodError(
      plan({ 'spicepod.yaml': pod('embeddings:\n  - ref: emb\n') }),
      'SPICEPOD_LINK_NOT_FOUND',
      READ,
      { manifest: 'spicepod.yaml', field: 'embeddings[0].ref', path: 'emb' },
    )
    expect(error.message).toContain('emb/embeddings.yaml, emb/embeddings.yml')
  })

  it('difference 4: a missing dependency names the field and the path', async () => {
    await expectSpicepodError(
      plan({ 'spicepod.yaml': pod('dependencies: [nope]\n') }),
      'SPICEPOD_LINK_NOT_FOUND',
      READ,
      { manifest: 'spicepod.yaml', field: 'dependencies[0]', path: 'spicepods/nope/spicepod.yaml' },
    )
  })

  it('difference 5: tool refs accept tools.yaml, which the runtime reads', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('tools:\n  - ref: t\n  - ref: u\n'),
      't/tools.yml': 'x',
      'u/tool.yaml': 'y',
      'u/tools.yaml': 'z',
    })
    expect(sources(entries)).toEqual({
      'spicepod.yaml': 'spicepod.yaml',
      't/tools.yaml': 't/tools.yml',
      'u/tool.yaml': 'u/tool.yaml',
      'u/tools.yaml': 'u/tools.yaml',
    })
  })

  it('difference 5: a dependency manifest may be spicepod.yml and is stored as spicepod.yaml', async () => {
    const entries = await plan({
      'spicepod.yaml': pod('dependencies: [d]\n'),
      'spicepods/d/spicepod.yml': pod('views:\n  - name: v\n    sql_ref: d.sql\n'),
      'spicepods/d/d.sql': 'select 1',
    })
    expect(sources(entries)).toEqual({
      'spicepods/d/d.sql': 'spicepods/d/d.sql',
      'spicepod.yaml': 'spicepod.yaml',
      'spicepods/d/spicepod.yaml': 'spicepods/d/spicepod.yml',
    })
  })

  it.each(['v1beta1', 'v1', 'v2'])('difference 6: version %s is accepted', async (version) => {
    const entries = await plan({ 'spicepod.yaml': pod('', version) })
    expect(paths(entries)).toEqual(['spicepod.yaml'])
  })

  it.each([
    ['datasets[0].from', 'datasets:\n  - from: file:../secret.csv\n    name: d\n'],
    ['datasets[0].from', 'datasets:\n  - from: file:data/../../secret.csv\n    name: d\n'],
    ['models[0].ref', 'models:\n  - ref: ../m\n'],
    ['views[0].sql_ref', 'views:\n  - name: v\n    sql_ref: sql/../../v.sql\n'],
    ['dependencies[0]', 'dependencies: [../../x]\n'],
  ])('difference 7: a link with a `..` segment is rejected (%s)', async (field, body) => {
    const error = await expectSpicepodError(
      plan(
        { 'pod/spicepod.yaml': pod(body), 'secret.csv': '1', 'm/model.yaml': 'x' },
        'pod/spicepod.yaml',
      ),
      'SPICEPOD_LINK_INVALID',
      INVALID,
      { manifest: 'pod/spicepod.yaml', field },
    )
    expect(error.message).toContain('`..`')
  })

  it('difference 7: a leading `/` means the package root, never the filesystem root', async () => {
    const entries = await plan(
      {
        'pod/spicepod.yaml': pod('datasets:\n  - from: file:///etc/hosts\n    name: d\n'),
        'pod/etc/hosts': 'packaged from the package root',
        'etc/hosts': 'repository root: not used',
      },
      'pod/spicepod.yaml',
    )
    expect(sources(entries)).toEqual({
      'etc/hosts': 'pod/etc/hosts',
      'spicepod.yaml': 'pod/spicepod.yaml',
    })
  })

  it('difference 8: an extension-less link is a file when a file exists there', async () => {
    const entries = await plan({
      'spicepod.yaml': pod(
        'views:\n  - name: v\n    sql_ref: queries/view_sql\ndatasets:\n  - from: file:Makefile\n    name: m\n',
      ),
      'queries/view_sql': 'select 1',
      Makefile: 'all:',
    })
    expect(entries.filter((entry) => entry.kind === 'file').map((entry) => entry.zipPath)).toEqual([
      'Makefile',
      'queries/view_sql',
      'spicepod.yaml',
    ])
  })
})
