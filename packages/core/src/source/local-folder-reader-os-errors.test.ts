import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { quoteInput } from '../errors.js'
import { createLocalFolderReader } from './local-folder-reader.js'
import { rejection } from '../../test/helpers/rejection.js'

/** A name longer than a file name may be (255 bytes): the system refuses it with ENAMETOOLONG. */
const TOO_LONG = 'n'.repeat(300)

let root: string
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-os-errors-'))
})
afterEach(() => {
  // `rm -rf` walks folders relative to each other, so it removes paths longer than PATH_MAX too.
  execFileSync('rm', ['-rf', root])
})

describe('local folder reader, failures the system reports', () => {
  it('says a root that goes round in symlinks could not be opened, with the system code', async () => {
    await symlink('loop', join(root, 'loop'))
    const error = await rejection(createLocalFolderReader(join(root, 'loop')))
    expect(error.code).toBe('SOURCE_READ_FAILED')
    expect(error.message).toBe(
      `Could not open the folder ${quoteInput(join(root, 'loop'))} in the local folder (ELOOP).`,
    )
    expect(error.details).toEqual({ path: join(root, 'loop'), errno: 'ELOOP' })
  })

  it('says which name is too long when reading, reading attributes and listing', async () => {
    const reader = await createLocalFolderReader(root)
    const read = await rejection(reader.readBytes(TOO_LONG))
    expect(read.code).toBe('SOURCE_READ_FAILED')
    expect(read.message).toBe(
      `Could not open ${quoteInput(TOO_LONG)} in the local folder (ENAMETOOLONG).`,
    )
    expect(read.details).toEqual({ path: TOO_LONG, errno: 'ENAMETOOLONG' })
    const stat = await rejection(reader.stat(TOO_LONG))
    expect(stat.message).toBe(
      `Could not read the attributes of ${quoteInput(TOO_LONG)} in the local folder (ENAMETOOLONG).`,
    )
    const list = await rejection(reader.list(TOO_LONG))
    expect(list.message).toBe(
      `Could not list ${quoteInput(TOO_LONG)} in the local folder (ENAMETOOLONG).`,
    )
  })

  it('finds no file below a folder name the system refuses', async () => {
    const reader = await createLocalFolderReader(root)
    const error = await rejection(reader.readBytes(`${TOO_LONG}/file.txt`))
    expect(error.code).toBe('SOURCE_NOT_FOUND')
  })

  it('says a file of 2 GiB or more cannot be read whole, with the system code', async () => {
    execFileSync('truncate', ['-s', String(2 ** 31 + 5), join(root, 'huge.bin')])
    const reader = await createLocalFolderReader(root)
    const error = await rejection(reader.readBytes('huge.bin'))
    expect(error.code).toBe('SOURCE_READ_FAILED')
    expect(error.message).toBe(
      'Could not read "huge.bin" in the local folder (ERR_FS_FILE_TOO_LARGE).',
    )
  })

  it('lists nothing once the folder is gone', async () => {
    await mkdir(join(root, 'gone'))
    await writeFile(join(root, 'gone', 'a.txt'), 'a')
    const reader = await createLocalFolderReader(join(root, 'gone'))
    await rm(join(root, 'gone'), { recursive: true })
    expect(await reader.list('')).toEqual([])
  })

  it('reports a path past the system limit with the other problems of the listing', async () => {
    // Two chains of 11 folders of 200 characters, one moved to the end of the
    // other: each is short enough to make, the paths through both are longer
    // than PATH_MAX (4096).
    const chain = Array.from({ length: 11 }, () => 'd'.repeat(200)).join('/')
    await mkdir(join(root, chain), { recursive: true })
    await mkdir(join(root, 'lower', chain), { recursive: true })
    await rename(join(root, 'lower'), join(root, chain, 'lower'))
    execFileSync('mkfifo', [join(root, 'queue')])
    await writeFile(join(root, 'ok.txt'), 'ok')
    const reader = await createLocalFolderReader(root)
    const error = await rejection(reader.list(''))
    expect(error.details.count).toBe(2)
    const [fifo, deep] = error.details['problems'] as { message: string; errno?: string }[]
    expect(fifo?.message).toMatch(/^Cannot package "queue": it is a named pipe/)
    expect(deep?.errno).toBe('ENAMETOOLONG')
    expect(deep?.message).toMatch(
      /^Could not read the attributes of "d{200}…" in the local folder \(ENAMETOOLONG\)\.$/,
    )
  })
})
