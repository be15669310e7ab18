import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generatePackage } from '../src/package/generate-package.js'
import { rejection } from './helpers/rejection.js'
import { UNPACKAGEABLE_NAMES, quotedName } from './helpers/unpackageable-names.js'

// Every file a local folder holds is packaged or reported: names the package
// cannot hold are errors in directory mode unless left out on purpose.

let work: string

/** Writes `<folder>/ok.txt` and `<folder>/<name>` (name given as bytes) under the work folder. */
async function writeCase(folder: string, name: Buffer): Promise<string> {
  const dir = join(work, folder)
  await mkdir(dir, { recursive: true })
  await writeFile(join(dir, 'ok.txt'), 'ok\n')
  await writeFile(Buffer.concat([Buffer.from(`${dir}/`), name]), 'hidden\n')
  return dir
}

const paths = (entries: readonly { path: string }[]) => entries.map((entry) => entry.path)
const newline = UNPACKAGEABLE_NAMES[0]
const notUtf8 = UNPACKAGEABLE_NAMES.find((name) => name.folder === 'latin1')

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-names-'))
  for (const name of UNPACKAGEABLE_NAMES) await writeCase(name.folder, name.bytes)
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

describe('directory mode over a local folder', () => {
  it.each(UNPACKAGEABLE_NAMES)(
    'refuses a file whose name holds $label, naming it',
    async (name) => {
      const outFile = join(work, `${name.folder}.zip`)
      const failure = await rejection(
        generatePackage({ source: join(work, name.folder), mode: 'directory', outFile }),
      )
      expect(failure.code).toBe('SOURCE_PATH_INVALID')
      expect(failure.message).toContain(quotedName(name))
      expect(failure.message).toContain(join(work, name.folder))
      expect(existsSync(outFile)).toBe(false)
    },
  )

  it('refuses a folder whose name is not UTF-8, naming it inside its parent', async () => {
    const dir = join(work, 'nested')
    await mkdir(join(dir, 'deep'), { recursive: true })
    await writeFile(join(dir, 'deep/ok.txt'), 'ok\n')
    const folder = Buffer.concat([Buffer.from(`${dir}/deep/`), Buffer.from([0xc3, 0x28])])
    await mkdir(folder)
    await writeFile(Buffer.concat([folder, Buffer.from('/x.txt')]), 'x\n')
    const failure = await rejection(
      generatePackage({ source: dir, mode: 'directory', outFile: join(work, 'nested.zip') }),
    )
    expect(failure.code).toBe('SOURCE_PATH_INVALID')
    expect(failure.message).toContain('"deep/\\\\xc3("')
    expect(failure.details['pathBytes']).toBe(Buffer.from('deep/\u00c3(', 'latin1').toString('hex'))
  })

  it('refuses a symlink whose target is not UTF-8, instead of storing a changed target', async () => {
    const dir = join(work, 'badlink')
    await mkdir(dir, { recursive: true })
    await writeFile(join(dir, 'ok.txt'), 'ok\n')
    await symlink(Buffer.from([0x61, 0xff, 0x62]), join(dir, 'link'))
    const failure = await rejection(
      generatePackage({ source: dir, mode: 'directory', outFile: join(work, 'badlink.zip') }),
    )
    expect(failure.code).toBe('SOURCE_PATH_INVALID')
    expect(failure.message).toContain('symlink "link"')
    expect(failure.message).toContain('"a\\\\xffb"')
  })

  it('packages the other files when exclude patterns, ignore files or include patterns leave the name out', async () => {
    if (newline === undefined) throw new Error('no newline case')
    const source = join(work, newline.folder)
    for (const options of [
      { exclude: ['a*b.txt'] },
      { exclude: ['a?b.txt'] },
      { include: ['ok.txt'] },
    ]) {
      const built = await generatePackage({
        source,
        mode: 'directory',
        outFile: join(work, 'excluded.zip'),
        ...options,
      })
      expect(paths(built.entries.toArray())).toEqual(['ok.txt'])
    }
    const ignored = join(work, 'ignored')
    await writeCase('ignored', newline.bytes)
    await writeFile(join(ignored, '.packwrightignore'), 'a*\n')
    const built = await generatePackage({
      source: ignored,
      mode: 'directory',
      outFile: join(work, 'ignored.zip'),
    })
    expect(paths(built.entries.toArray())).toEqual(['.packwrightignore', 'ok.txt'])
  })

  it('still refuses a name that is not UTF-8 inside an excluded folder: no pattern can name it', async () => {
    if (notUtf8 === undefined) throw new Error('no latin1 case')
    const dir = join(work, 'vendored')
    await mkdir(join(dir, 'vendor'), { recursive: true })
    await writeFile(join(dir, 'ok.txt'), 'ok\n')
    await writeFile(Buffer.concat([Buffer.from(`${dir}/vendor/`), notUtf8.bytes]), 'x\n')
    const failure = await rejection(
      generatePackage({
        source: dir,
        mode: 'directory',
        exclude: ['vendor'],
        outFile: join(work, 'vendored.zip'),
      }),
    )
    expect(failure.code).toBe('SOURCE_PATH_INVALID')
    expect(failure.message).toContain(quotedName(notUtf8, 'vendor'))
  })
})
