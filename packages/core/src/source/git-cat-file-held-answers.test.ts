import { type Readable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { afterEach, describe, expect, it } from 'vitest'
import { catFileWithFakeGit } from '../../test/helpers/fake-git-cat-file.js'
import { rejection } from '../../test/helpers/rejection.js'
import { type GitCatFile } from './git-cat-file.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

const ID_A = 'a'.repeat(40)
const ID_B = 'b'.repeat(40)
const ID_C = 'c'.repeat(40)
/** Larger than a stream's 16 KiB high-water mark, so handing it over stops the parsing. */
const LARGE = Buffer.alloc(20_000, 0x61)

function answer(id: string, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${id} blob ${content.length}\n`), content, Buffer.from('\n')])
}

/**
 * A reader whose `git` waits for `requests` request lines, then writes all of
 * `output` at once: the answers arrive in one chunk of its output.
 */
async function readerAnsweringAtOnce(requests: number, output: Buffer): Promise<GitCatFile> {
  const reads = Array.from({ length: requests }, () => 'read line').join('\n')
  const fake = await catFileWithFakeGit(
    `${reads}\ncat "$(dirname "$0")/output"\nexec cat >/dev/null`,
    { output },
  )
  cleanups.push(() => fake.cleanup())
  return fake.catFile
}

/** Resolves once `stream` holds data, then lets every pending callback run. */
async function holdsData(stream: Readable): Promise<void> {
  await new Promise<void>((done) => stream.once('readable', () => done()))
  await new Promise<void>((done) => setImmediate(done))
}

function tracked<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false
  const settle = (): void => {
    settled = true
  }
  promise.then(settle, settle)
  return { promise, settled: () => settled }
}

describe('GitCatFile, answers held behind a stream that is not read', () => {
  it('holds back a later answer that came in the same chunk as the stream it waits for', async () => {
    const small = Buffer.from('small object')
    const catFile = await readerAnsweringAtOnce(
      2,
      Buffer.concat([answer(ID_A, LARGE), answer(ID_B, small)]),
    )
    const stream = catFile.stream(ID_A, () => undefined)
    // Reading asks for the object now, before the request below.
    stream.read(0)
    const ready = holdsData(stream)
    const later = tracked(catFile.read(ID_B))
    await ready
    expect(later.settled()).toBe(false)
    expect((await buffer(stream)).equals(LARGE)).toBe(true)
    expect((await later.promise).bytes).toEqual(small)
  })

  it('keeps holding later answers when a stream queued behind the unread one is destroyed', async () => {
    const small = Buffer.from('small object')
    const catFile = await readerAnsweringAtOnce(
      3,
      Buffer.concat([
        answer(ID_A, LARGE),
        answer(ID_B, Buffer.from('queued')),
        answer(ID_C, small),
      ]),
    )
    const first = catFile.stream(ID_A, () => undefined)
    first.read(0)
    const ready = holdsData(first)
    const queued = catFile.stream(ID_B, () => undefined)
    queued.read(0)
    const later = tracked(catFile.read(ID_C))
    await ready
    queued.destroy()
    await new Promise<void>((done) => setImmediate(done))
    expect(later.settled()).toBe(false)
    expect((await buffer(first)).equals(LARGE)).toBe(true)
    expect((await later.promise).bytes).toEqual(small)
  })

  it('refuses a request made after closing at once, without waiting for git', async () => {
    const catFile = await readerAnsweringAtOnce(0, Buffer.alloc(0))
    await catFile.close()
    const request = catFile.read(ID_A)
    const first = await Promise.race([
      request.then(
        () => 'answered',
        () => 'refused',
      ),
      Promise.resolve().then(() => 'pending'),
    ])
    expect(first).toBe('refused')
    expect((await rejection(request)).message).toBe('The git object reader has been closed.')
  })
})
