import { spawnSync } from 'node:child_process'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { isPackwrightError } from '@packwright/core'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dataFolderLayout } from './data-folder.js'
import { openEmbeddedStorage } from './open-embedded-storage.js'

/** The id of a process that has exited. */
function pidOfEndedProcess(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  })
  return Number(child.stdout)
}

describe('openEmbeddedStorage', () => {
  let folder: string
  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'packwright-storage-'))
  })
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true })
  })

  it('empties the temporary folder a killed server left behind', async () => {
    const layout = dataFolderLayout(folder)
    await mkdir(join(layout.temporary, 'uploads'), { recursive: true })
    await writeFile(join(layout.temporary, 'uploads', 'upload-0123.zip'), 'partial upload')
    await writeFile(join(layout.temporary, 'sha1-4567.part'), 'partial blob')
    const storage = await openEmbeddedStorage(folder)
    try {
      expect(await readdir(layout.temporary)).toEqual([])
    } finally {
      await storage.close()
    }
  })

  it('refuses a data folder another open storage holds, and takes it once that one closes', async () => {
    const first = await openEmbeddedStorage(folder)
    const refused = await openEmbeddedStorage(folder).catch((error: unknown) => error)
    expect(isPackwrightError(refused, 'INVALID_ARGUMENT')).toBe(true)
    expect((refused as Error).message).toContain('is in use by another packwright server')
    await first.close()
    const second = await openEmbeddedStorage(folder)
    await second.close()
  })

  it('refuses a data folder a running process holds', async () => {
    const layout = dataFolderLayout(folder)
    await writeFile(layout.lock, JSON.stringify({ pid: process.ppid, started: null }))
    const refused = await openEmbeddedStorage(folder).catch((error: unknown) => error)
    expect(isPackwrightError(refused, 'INVALID_ARGUMENT')).toBe(true)
    expect((refused as Error).message).toContain(`(process ${process.ppid})`)
    expect(await readFile(layout.lock, 'utf8')).toContain(String(process.ppid))
  })

  it.each([
    ['a process that has ended', () => ({ pid: pidOfEndedProcess(), started: null })],
    ['a process whose id a later one took', () => ({ pid: process.ppid, started: 'earlier' })],
    ['nothing readable', () => 'not json'],
  ])('takes over a lock left by %s', async (_case, owner) => {
    const layout = dataFolderLayout(folder)
    await writeFile(layout.lock, JSON.stringify(owner()))
    const storage = await openEmbeddedStorage(folder)
    try {
      expect(JSON.parse(await readFile(layout.lock, 'utf8'))).toMatchObject({ pid: process.pid })
    } finally {
      await storage.close()
    }
    await expect(readFile(layout.lock)).rejects.toThrow(/ENOENT/)
  })
})
