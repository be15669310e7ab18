import { execFileSync } from 'node:child_process'
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { buffer } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGitFixture, type GitFixture } from '../../test/helpers/git-fixture.js'
import { rejection } from '../../test/helpers/rejection.js'
import { GitCatFile } from './git-cat-file.js'

const DATE = '2023-11-14T22:13:20Z'
const MISSING = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef'

/** Bytes that differ at every position, so a shifted or cut read shows. */
function patterned(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed + (i >> 8)) & 0xff
  return bytes
}

const SMALL_COUNT = 300
const big = patterned(3_000_000, 7)

describe('GitCatFile', () => {
  let repo: GitFixture
  const ids = new Map<string, string>()
  const contents = new Map<string, Buffer>()

  beforeAll(async () => {
    repo = await createGitFixture()
    const files: Record<string, Buffer> = { 'big.bin': big, 'empty.txt': Buffer.alloc(0) }
    for (let i = 0; i < SMALL_COUNT; i++) {
      files[`small/${i}.txt`] = patterned(1 + ((i * 97) % 9000), i)
    }
    await repo.write(files)
    const commit = await repo.commit('objects', DATE)
    for (const line of (await repo.git(['ls-tree', '-r', commit])).split('\n')) {
      const [meta = '', path = ''] = line.split('\t')
      ids.set(path, meta.split(' ')[2] ?? '')
      contents.set(path, files[path] as Buffer)
    }
  })

  afterAll(async () => {
    await repo.remove()
  })

  const idOf = (path: string): string => ids.get(path) ?? ''

  it('answers hundreds of requests made at once, each with its own bytes, in any order', async () => {
    const catFile = new GitCatFile(repo.dir)
    try {
      const paths = [...ids.keys()].reverse()
      const answers = await Promise.all(paths.map((path) => catFile.read(idOf(path))))
      expect(answers.map((answer) => answer.type)).toEqual(paths.map(() => 'blob'))
      const wrong = paths.filter(
        (path, i) => !answers[i]?.bytes.equals(contents.get(path) ?? Buffer.alloc(1)),
      )
      expect(wrong).toEqual([])
    } finally {
      await catFile.close()
    }
  })

  it('fails a missing object alone; the requests around it are answered', async () => {
    const catFile = new GitCatFile(repo.dir)
    try {
      const [before, missing, after] = await Promise.allSettled([
        catFile.read(idOf('small/1.txt')),
        catFile.read(MISSING),
        catFile.read(idOf('big.bin')),
      ])
      expect(before.status === 'fulfilled' && before.value.bytes).toEqual(
        contents.get('small/1.txt'),
      )
      expect(missing.status).toBe('rejected')
      const error = (missing as PromiseRejectedResult).reason as { code: string; message: string }
      expect(error.code).toBe('SOURCE_READ_FAILED')
      expect(error.message).toBe(
        `The git object ${MISSING} is missing from ${JSON.stringify(repo.dir)}.`,
      )
      expect(after.status === 'fulfilled' && after.value.bytes.equals(big)).toBe(true)
    } finally {
      await catFile.close()
    }
  })

  it('holds later answers back while a stream is not read, and hands them over once it is', async () => {
    const catFile = new GitCatFile(repo.dir)
    try {
      const stream = catFile.stream(idOf('big.bin'), () => undefined)
      await new Promise<void>((done) => stream.once('readable', () => done()))
      let answered = false
      const later = catFile.read(idOf('small/2.txt')).then((answer) => {
        answered = true
        return answer
      })
      await new Promise((done) => setTimeout(done, 200))
      expect(answered).toBe(false)
      expect((await buffer(stream)).equals(big)).toBe(true)
      expect((await later).bytes).toEqual(contents.get('small/2.txt'))
    } finally {
      await catFile.close()
    }
  })

  it('skips the rest of a destroyed stream and of a refused one; later requests are answered', async () => {
    const catFile = new GitCatFile(repo.dir)
    try {
      const partial = catFile.stream(idOf('big.bin'), () => undefined)
      await new Promise<void>((done) => partial.once('readable', () => done()))
      expect(partial.read(1000)).toEqual(big.subarray(0, 1000))
      partial.destroy()
      const refused = catFile.stream(idOf('big.bin'), ({ type, size }) => {
        throw new Error(`refused ${type} of ${size} bytes`)
      })
      const empty = catFile.stream(idOf('empty.txt'), () => undefined)
      const [refusal, emptyBytes, small] = await Promise.allSettled([
        buffer(refused),
        buffer(empty),
        catFile.read(idOf('small/3.txt')),
      ])
      expect(refusal.status === 'rejected' && (refusal.reason as Error).message).toBe(
        `refused blob of ${big.length} bytes`,
      )
      expect(emptyBytes.status === 'fulfilled' && emptyBytes.value.length).toBe(0)
      expect(small.status === 'fulfilled' && small.value.bytes).toEqual(contents.get('small/3.txt'))
    } finally {
      await catFile.close()
    }
  })

  it('refuses what is not an object id before asking git', async () => {
    const catFile = new GitCatFile(repo.dir)
    try {
      const error = await rejection(catFile.read('HEAD\nmaster'))
      expect(error.code).toBe('INVALID_ARGUMENT')
      expect(error.message).toBe('Not a git object id: "HEAD\\nmaster".')
      expect((await catFile.read(idOf('small/4.txt'))).bytes).toEqual(contents.get('small/4.txt'))
    } finally {
      await catFile.close()
    }
  })

  it('fails requests in flight and later ones with GIT_FAILED once closed', async () => {
    const catFile = new GitCatFile(repo.dir)
    const inFlight = rejection(catFile.read(idOf('big.bin')))
    await catFile.close()
    const closed = await inFlight
    expect(closed.code).toBe('GIT_FAILED')
    expect(closed.message).toBe('The git object reader has been closed.')
    expect((await rejection(catFile.read(idOf('small/5.txt')))).code).toBe('GIT_FAILED')
  })

  it('fails requests in flight with ABORTED when its signal fires', async () => {
    const controller = new AbortController()
    const catFile = new GitCatFile(repo.dir, controller.signal)
    try {
      const reads = [idOf('big.bin'), idOf('small/8.txt')].map((id) => rejection(catFile.read(id)))
      controller.abort()
      const errors = await Promise.all(reads)
      expect(errors.map((error) => error.code)).toEqual(['ABORTED', 'ABORTED'])
      expect(errors[0]?.message).toBe('Reading git objects was aborted.')
      expect((await rejection(catFile.read(idOf('small/9.txt')))).code).toBe('ABORTED')
    } finally {
      await catFile.close()
    }
  })

  it('sends each request without waiting for the answers before it', async () => {
    // A git that starts answering only once three requests have arrived: a
    // reader that waits for each answer before the next request hangs here.
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim()
    const bin = await mkdtemp(join(tmpdir(), 'packwright-fake-git-'))
    const savedPath = process.env.PATH
    try {
      await writeFile(
        join(bin, 'git'),
        `#!/bin/sh\nhead -n 3 > "${bin}/requests"\nexec "${realGit}" "$@" < "${bin}/requests"\n`,
      )
      await chmod(join(bin, 'git'), 0o755)
      process.env.PATH = `${bin}${delimiter}${savedPath ?? ''}`
      const catFile = new GitCatFile(repo.dir)
      process.env.PATH = savedPath
      try {
        const paths = ['small/6.txt', 'big.bin', 'small/7.txt']
        const answers = await Promise.all(paths.map((path) => catFile.read(idOf(path))))
        expect(answers.map((answer) => answer.bytes.length)).toEqual(
          paths.map((path) => contents.get(path)?.length),
        )
      } finally {
        await catFile.close()
      }
    } finally {
      process.env.PATH = savedPath
      await rm(bin, { recursive: true, force: true })
    }
  })
})
