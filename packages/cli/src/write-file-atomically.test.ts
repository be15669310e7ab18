import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { writeFileAtomically } from './write-file-atomically.js'

let dir: string
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-atomic-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('writeFileAtomically', () => {
  it('writes text given in pieces, in order, and leaves only the file', async () => {
    const path = join(dir, 'manifest.json')
    let produced = 0
    function* pieces(): Generator<string> {
      for (let index = 0; index < 2000; index++) {
        produced++
        yield `${index},`
      }
      yield '\n'
    }
    await writeFileAtomically(path, pieces())
    const expected = `${Array.from({ length: 2000 }, (_, index) => `${index},`).join('')}\n`
    expect(produced).toBe(2000)
    expect(await readFile(path, 'utf8')).toBe(expected)
    expect(await readdir(dir)).toEqual(['manifest.json'])
  })

  it('leaves the old file as it was when the pieces fail half-way', async () => {
    const path = join(dir, 'manifest.json')
    await writeFile(path, 'old\n')
    function* failing(): Generator<string> {
      yield 'new'
      throw new Error('the result could not be read')
    }
    await expect(writeFileAtomically(path, failing())).rejects.toThrow('could not be read')
    expect(await readFile(path, 'utf8')).toBe('old\n')
    expect(await readdir(dir)).toEqual(['manifest.json'])
  })

  it('leaves nothing new behind when aborted', async () => {
    const path = join(dir, 'manifest.json')
    const controller = new AbortController()
    controller.abort()
    await expect(writeFileAtomically(path, ['a', 'b'], controller.signal)).rejects.toThrow()
    expect(await readdir(dir)).toEqual([])
  })
})
