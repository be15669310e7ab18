import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, rm, truncate, writeFile } from 'node:fs/promises'
import { type Server, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { rejection } from '../../../test/helpers/rejection.js'
import { canMakeDevices } from '../../../test/helpers/can-make-devices.js'
import { ZipReaderFile } from './zip-reader-file.js'

let root: string
let counter = 0
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'packwright-zip-reader-file-'))
})
afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

async function fileWith(content: string): Promise<string> {
  const path = join(root, `${counter++}.bin`)
  await writeFile(path, content)
  return path
}

function notRegularMessage(path: string, kind: string): string {
  return `Cannot read zip ${JSON.stringify(path)}: it is ${kind}; expected a regular file.`
}

describe('ZipReaderFile.open', () => {
  it('refuses a directory, naming the path', async () => {
    const path = join(root, 'folder.zip')
    await mkdir(path)
    const error = await rejection(ZipReaderFile.open(path))
    expect(error.code).toBe('ZIP_READ_FAILED')
    expect(error.message).toBe(notRegularMessage(path, 'a directory'))
    expect(error.details).toEqual({ path })
  })

  it('refuses a socket by its kind before trying to open it', async () => {
    const path = join(root, 'listening.zip')
    const server: Server = createServer()
    await new Promise<void>((resolve) => server.listen(path, resolve))
    try {
      const error = await rejection(ZipReaderFile.open(path))
      expect(error.code).toBe('ZIP_READ_FAILED')
      expect(error.message).toBe(notRegularMessage(path, 'a socket'))
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it('refuses a FIFO and a character device', async () => {
    const fifo = join(root, 'pipe.zip')
    execFileSync('mkfifo', [fifo])
    expect((await rejection(ZipReaderFile.open(fifo))).message).toBe(
      notRegularMessage(fifo, 'a FIFO'),
    )
    expect((await rejection(ZipReaderFile.open('/dev/null'))).message).toBe(
      notRegularMessage('/dev/null', 'a character device'),
    )
  })

  it.runIf(canMakeDevices())('refuses a block device', async () => {
    const disk = join(root, 'disk.zip')
    execFileSync('mknod', [disk, 'b', '7', '0'])
    expect((await rejection(ZipReaderFile.open(disk))).message).toBe(
      notRegularMessage(disk, 'a block device'),
    )
  })

  it('says a missing file is missing, and stops on an aborted signal', async () => {
    const path = join(root, 'missing.zip')
    const error = await rejection(ZipReaderFile.open(path))
    expect(error.message).toBe(`Cannot read zip ${JSON.stringify(path)} (ENOENT).`)
    const existing = await fileWith('x')
    expect((await rejection(ZipReaderFile.open(existing, AbortSignal.abort()))).code).toBe(
      'ABORTED',
    )
  })
})

describe('ZipReaderFile.read', () => {
  it('refuses ranges outside the file, naming the range and the size', async () => {
    const file = await ZipReaderFile.open(await fileWith('0123456789'))
    try {
      const before = await rejection(file.read(-1, 4, 'The header'))
      expect(before.code).toBe('ZIP_TRUNCATED')
      expect(before.message).toBe('The header needs bytes -1..3 but the file ends at 10.')
      expect(before.details).toEqual({ offset: -1, length: 4, fileSize: 10 })
      expect((await rejection(file.read(0, -1, 'The record'))).message).toBe(
        'The record needs bytes 0..-1 but the file ends at 10.',
      )
      expect((await rejection(file.read(8, 4, 'The trailer'))).message).toBe(
        'The trailer needs bytes 8..12 but the file ends at 10.',
      )
      expect((await file.read(0, 0, 'Nothing')).length).toBe(0)
      expect((await file.read(10, 0, 'Nothing at the end')).length).toBe(0)
    } finally {
      await file.close()
    }
  })

  it('returns the whole range even when it is longer than the least read', async () => {
    const file = await ZipReaderFile.open(await fileWith('0123456789'))
    try {
      expect((await file.read(1, 6, 'A range', 2)).toString()).toBe('123456')
    } finally {
      await file.close()
    }
  })

  it('serves ranges inside the last read from it, so bytes changed since show their old value', async () => {
    const path = await fileWith('abcdefghij')
    const file = await ZipReaderFile.open(path)
    try {
      expect((await file.read(0, 4, 'First', 8)).toString()).toBe('abcd')
      await writeFile(path, 'ABCDEFGHIJ')
      expect((await file.read(0, 4, 'Same start')).toString()).toBe('abcd')
      expect((await file.read(4, 4, 'Up to the end of the last read')).toString()).toBe('efgh')
      expect((await file.read(6, 4, 'Past the end of the last read', 1)).toString()).toBe('GHIJ')
      expect((await file.read(7, 2, 'Inside the new read')).toString()).toBe('HI')
    } finally {
      await file.close()
    }
  })

  it('reads at least the least read, up to the end of the file', async () => {
    const file = await ZipReaderFile.open(await fileWith('abcdefghij'))
    try {
      expect((await file.read(4, 2, 'Short', 100)).toString()).toBe('ef')
      expect(file.cached(4, 6)?.toString()).toBe('efghij')
    } finally {
      await file.close()
    }
  })

  it('says when the file got shorter while being read', async () => {
    const path = await fileWith('x'.repeat(100))
    const file = await ZipReaderFile.open(path)
    try {
      await truncate(path, 50)
      const error = await rejection(file.read(10, 90, 'The entry', 1))
      expect(error.code).toBe('ZIP_TRUNCATED')
      expect(error.message).toBe(
        `The file ${JSON.stringify(path)} ended at 50 while 100 bytes were expected (it changed while being read).`,
      )
    } finally {
      await file.close()
    }
  })
})

describe('ZipReaderFile.cached', () => {
  it('answers exactly the ranges inside the last read', async () => {
    const file = await ZipReaderFile.open(await fileWith('abcdefghij'))
    try {
      expect(file.cached(0, 0)?.length).toBe(0)
      expect(file.cached(0, 1)).toBeUndefined()
      await file.read(2, 4, 'Middle', 4)
      expect(file.cached(2, 4)?.toString()).toBe('cdef')
      expect(file.cached(3, 2)?.toString()).toBe('de')
      expect(file.cached(3, 0)?.length).toBe(0)
      expect(file.cached(1, 2)).toBeUndefined()
      expect(file.cached(2, -1)).toBeUndefined()
      expect(file.cached(4, 3)).toBeUndefined()
    } finally {
      await file.close()
    }
  })
})

describe('ZipReaderFile.close', () => {
  it('makes later reads fail as closed, and may be called twice', async () => {
    const path = await fileWith('abcdefghij')
    const file = await ZipReaderFile.open(path)
    await file.read(0, 2, 'Before', 2)
    await file.close()
    await file.close()
    expect(file.cached(0, 2)).toBeUndefined()
    const error = await rejection(file.read(0, 4, 'After'))
    expect(error.code).toBe('ZIP_READ_FAILED')
    expect(error.message).toBe(`Cannot read zip ${JSON.stringify(path)}: it is closed.`)
    expect(error.details).toEqual({ path })
  })
})
