import { describe, expect, it } from 'vitest'
import {
  createMemorySourceReader,
  type MemoryFile,
} from '../../test/helpers/memory-source-reader.js'
import { rejection } from '../../test/helpers/rejection.js'
import { type Logger } from '../logger.js'
import { type ReadOptions, type SourceReader } from '../source/source-reader.js'
import { type PlanSpicepodPackageOptions, planSpicepodPackage } from './plan-spicepod-package.js'

const pod = (body = '') => `version: v1\nkind: Spicepod\nname: test\n${body}`

function plan(
  files: Record<string, MemoryFile>,
  manifestPath = 'spicepod.yaml',
  extra: Partial<PlanSpicepodPackageOptions> = {},
) {
  return planSpicepodPackage({ reader: createMemorySourceReader(files), manifestPath, ...extra })
}

const zipPaths = async (planned: ReturnType<typeof plan>) =>
  (await planned).map((entry) => entry.zipPath)

describe('planSpicepodPackage manifest path', () => {
  it('drops every leading slash', async () => {
    expect(await zipPaths(plan({ 'pod/spicepod.yaml': pod() }, '//pod/spicepod.yaml'))).toEqual([
      'spicepod.yaml',
    ])
  })

  it.each([
    ['', 'has an empty or `.` segment'],
    ['//', 'has an empty or `.` segment'],
    ['a\\b.yaml', 'contains a backslash (use `/`)'],
  ])('refuses %j: it %s', async (manifestPath, reason) => {
    const error = await rejection(plan({}, manifestPath))
    expect(error.code).toBe('INVALID_ARGUMENT')
    expect(error.message).toBe(
      `Invalid spicepod manifest path ${JSON.stringify(manifestPath)}: it ${reason}.`,
    )
    expect(error.details).toEqual({ manifest: manifestPath })
  })

  it('logs what it planned, naming the package root', async () => {
    const lines: string[] = []
    const logger: Logger = { debug: (l) => lines.push(l), info: () => {}, warn: () => {} }
    await plan({ 'spicepod.yaml': pod() }, 'spicepod.yaml', { logger })
    await plan({ 'pod/spicepod.yaml': pod() }, 'pod/spicepod.yaml', { logger })
    expect(lines).toEqual([
      'Planned 1 files for spicepod "spicepod.yaml" (1 manifests; package root the source root).',
      'Planned 1 files for spicepod "pod/spicepod.yaml" (1 manifests; package root "pod").',
    ])
  })

  it('names the root manifest when a linked file would take its zip path', async () => {
    const error = await rejection(
      plan(
        {
          'pod.yaml': pod('datasets:\n  - from: file:spicepod.yaml\n    name: d\n'),
          'spicepod.yaml': 'other',
        },
        'pod.yaml',
      ),
    )
    expect(error.code).toBe('SPICEPOD_ZIP_FAILED')
    expect(error.message).toBe(
      'Two different files would be stored as "spicepod.yaml": "pod.yaml" (the root manifest) and "spicepod.yaml" (`datasets[0].from` in pod.yaml).',
    )
    expect(error.hint).toBe('Rename one of the files, or link only one of them.')
  })

  it('says so when the manifest does not exist', async () => {
    const error = await rejection(plan({}, 'missing.yaml'))
    expect(error.message).toBe(
      'The spicepod manifest "missing.yaml" does not exist in memory source.',
    )
  })

  it('refuses a manifest that is a symlink', async () => {
    const error = await rejection(
      plan({ 'real.yaml': pod(), 'spicepod.yaml': { symlink: 'real.yaml' } }),
    )
    expect(error.code).toBe('SPICEPOD_LINK_INVALID')
    expect(error.message).toBe(
      'The spicepod manifest "spicepod.yaml" is a symlink; it must be a regular file.',
    )
  })
})

describe('planSpicepodPackage YAML limits', () => {
  it('parses a manifest of exactly the size limit and refuses one byte more', async () => {
    const text = pod()
    expect(
      await zipPaths(
        plan({ 'spicepod.yaml': text }, 'spicepod.yaml', { maxYamlBytes: text.length }),
      ),
    ).toEqual(['spicepod.yaml'])
    const error = await rejection(
      plan({ 'spicepod.yaml': text }, 'spicepod.yaml', { maxYamlBytes: text.length - 1 }),
    )
    expect(error.code).toBe('SPICEPOD_PARSE_FAILED')
    expect(error.message).toBe(
      `spicepod.yaml: the file is ${text.length} bytes; YAML files are limited to ${text.length - 1} bytes.`,
    )
  })

  it('checks the size again after reading, for a source that changed', async () => {
    const text = pod()
    const memory = createMemorySourceReader({ 'spicepod.yaml': text })
    const shrinking: SourceReader = {
      ...memory,
      stat: async (path, options) => {
        const entry = await memory.stat(path, options)
        return entry === undefined ? undefined : { ...entry, size: 10 }
      },
    }
    const error = await rejection(
      planSpicepodPackage({ reader: shrinking, manifestPath: 'spicepod.yaml', maxYamlBytes: 20 }),
    )
    expect(error.message).toBe(
      `spicepod.yaml: the file is ${text.length} bytes; YAML files are limited to 20 bytes.`,
    )
  })

  it('keeps the decoding failure as the cause of a file that is not UTF-8', async () => {
    const error = await rejection(plan({ 'spicepod.yaml': Buffer.from([0x76, 0xff, 0x0a]) }))
    expect(error.message).toBe('spicepod.yaml: the file is not valid UTF-8 text.')
    expect(error.cause).toBeInstanceOf(TypeError)
    const parse = await rejection(plan({ 'spicepod.yaml': 'a: [' }))
    expect(parse.cause).toBeUndefined()
  })

  it('puts the excerpt on its own indented lines', async () => {
    const error = await rejection(plan({ 'spicepod.yaml': 'a: !custom x\n' }))
    expect(error.message).toBe(
      'spicepod.yaml: Unresolved tag: !custom at line 1, column 4.\n    a: !custom x\n       ^^^^^^^',
    )
  })

  it('passes the alias limit on', async () => {
    const bomb = `${pod()}a: &a [1]\nb: [${Array(21).fill('*a').join(', ')}]\n`
    expect((await rejection(plan({ 'spicepod.yaml': bomb }))).message).toBe(
      'spicepod.yaml: Excessive alias count indicates a resource exhaustion attack.',
    )
    expect(
      await zipPaths(plan({ 'spicepod.yaml': bomb }, 'spicepod.yaml', { maxAliasCount: 1000 })),
    ).toEqual(['spicepod.yaml'])
  })
})

describe('planSpicepodPackage reads', () => {
  it('hands its abort signal to every read, and no signal when it has none', async () => {
    const memory = createMemorySourceReader({ 'spicepod.yaml': pod() })
    const seen: (ReadOptions | undefined)[] = []
    const recording: SourceReader = {
      ...memory,
      stat: (path, options) => {
        seen.push(options)
        return memory.stat(path, options)
      },
    }
    const controller = new AbortController()
    await planSpicepodPackage({
      reader: recording,
      manifestPath: 'spicepod.yaml',
      signal: controller.signal,
    })
    await planSpicepodPackage({ reader: recording, manifestPath: 'spicepod.yaml' })
    expect(seen).toStrictEqual([{ signal: controller.signal }, {}])
  })
})

describe('planSpicepodPackage dependencies', () => {
  it('looks a dependency starting with / up from the package root', async () => {
    expect(
      await zipPaths(
        plan({
          'spicepod.yaml': pod('dependencies: [/shared/dep]\n'),
          'shared/dep/spicepod.yaml': pod(),
        }),
      ),
    ).toEqual(['shared/dep/spicepod.yaml', 'spicepod.yaml'])
  })

  it('names every file it tried for a missing dependency', async () => {
    const error = await rejection(plan({ 'spicepod.yaml': pod('dependencies: [x]\n') }))
    expect(error.code).toBe('SPICEPOD_LINK_NOT_FOUND')
    expect(error.message).toBe(
      '`dependencies[0]` in spicepod.yaml names "x", but neither spicepods/x/spicepod.yaml nor spicepods/x/spicepod.yml exists.',
    )
  })

  it('refuses a dependency manifest that is a symlink', async () => {
    const error = await rejection(
      plan({
        'spicepod.yaml': pod('dependencies: [x]\n'),
        'real.yaml': pod(),
        'spicepods/x/spicepod.yaml': { symlink: '../../real.yaml' },
      }),
    )
    expect(error.message).toBe(
      'The dependency manifest "spicepods/x/spicepod.yaml" is a symlink; it must be a regular file.',
    )
  })

  it('tells how linked paths are written', async () => {
    const error = await rejection(
      plan({ 'spicepod.yaml': pod('datasets:\n  - from: file:a//b.csv\n    name: d\n') }),
    )
    expect(error.hint).toBe(
      'Linked paths are relative to the manifest folder and may not contain `..`, `.` or empty segments.',
    )
  })
})

describe('planSpicepodPackage reader failures', () => {
  it('names the ref field and its folder when looking up a component file fails', async () => {
    const memory = createMemorySourceReader({
      'spicepod.yaml': pod('models:\n  - ref: models/m\n'),
    })
    const reader: SourceReader = {
      ...memory,
      stat: (path, options) =>
        path.startsWith('models/')
          ? Promise.reject(new Error('connection reset'))
          : memory.stat(path, options),
    }
    const error = await rejection(planSpicepodPackage({ reader, manifestPath: 'spicepod.yaml' }))
    expect(error.code).toBe('SPICEPOD_READ_FAILED')
    expect(error.message).toBe(
      'Could not read "models/m/model.yaml" from memory source: connection reset',
    )
    expect(error.details).toMatchObject({
      manifest: 'spicepod.yaml',
      field: 'models[0].ref',
      path: 'models/m',
    })
  })
})
