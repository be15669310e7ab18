import { buffer } from 'node:stream/consumers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGitFixture, type GitFixture } from '../../test/helpers/git-fixture.js'
import { rejection } from '../../test/helpers/rejection.js'
import { GitCatFile } from './git-cat-file.js'

const MISSING = 'deadbeefdeadbeefdeadbeefdeadbeefdeadbeef'
const BLOB_COUNT = 20

describe('GitCatFile answers', () => {
  let repo: GitFixture
  const ids: string[] = []
  const contents: string[] = []
  let bigId = ''

  beforeAll(async () => {
    repo = await createGitFixture()
    const files: Record<string, string> = {}
    for (let i = 0; i < BLOB_COUNT; i++) files[`f${i}.txt`] = `content of file ${i}\n`
    await repo.write({ ...files, 'big.bin': Buffer.alloc(2_000_000, 5) })
    const commit = await repo.commit('blobs', '2024-01-01T00:00:00Z')
    const idOf = new Map<string, string>()
    for (const line of (await repo.git(['ls-tree', commit])).split('\n')) {
      const [meta = '', path = ''] = line.split('\t')
      idOf.set(path, meta.split(' ')[2] ?? '')
    }
    bigId = idOf.get('big.bin') ?? ''
    for (let i = 0; i < BLOB_COUNT; i++) {
      ids.push(idOf.get(`f${i}.txt`) ?? '')
      contents.push(files[`f${i}.txt`] as string)
    }
  })

  afterAll(async () => {
    await repo.remove()
  })

  it('answers thousands of requests made at once, each with its own object', async () => {
    const catFile = new GitCatFile(repo.dir)
    try {
      const count = 2500
      const answers = await Promise.all(
        Array.from({ length: count }, (_, i) => catFile.read(ids[i % BLOB_COUNT] as string)),
      )
      const wrong = answers.filter(
        (answer, i) => answer.bytes.toString() !== contents[i % BLOB_COUNT],
      )
      expect(wrong).toEqual([])
    } finally {
      await catFile.close()
    }
  })

  it('keeps a stream that was answered whole when closed before it is read', async () => {
    const catFile = new GitCatFile(repo.dir)
    const stream = catFile.stream(ids[0] as string, () => undefined)
    // Asking for the stream's first bytes makes the request; the read after it
    // is answered only once the stream's answer has been taken in whole.
    stream.pause()
    stream.read(0)
    expect((await catFile.read(ids[1] as string)).bytes.toString()).toBe(contents[1])
    await catFile.close()
    expect((await buffer(stream)).toString()).toBe(contents[0])
  })

  it('fails a stream being read when closed, and drops the rest of its object', async () => {
    const catFile = new GitCatFile(repo.dir)
    const stream = catFile.stream(bigId, () => undefined)
    await new Promise<void>((done) => stream.once('readable', () => done()))
    const failure = new Promise<Error>((done) => stream.once('error', done))
    // The rest of the object still comes from git while it ends.
    await catFile.close()
    expect((await failure).message).toBe('The git object reader has been closed.')
  })

  it('says a missing object may come from a shallow or partial repository', async () => {
    const catFile = new GitCatFile(repo.dir)
    try {
      const error = await rejection(catFile.read(MISSING))
      expect(error.hint).toBe(
        'The repository may be shallow or partial; fetch the full history and retry.',
      )
      expect(error.details).toEqual({ objectId: MISSING, repoDir: repo.dir })
    } finally {
      await catFile.close()
    }
  })

  it('names the repository when a request comes after closing', async () => {
    const catFile = new GitCatFile(repo.dir)
    await catFile.close()
    const error = await rejection(catFile.read(ids[0] as string))
    expect(error.message).toBe('The git object reader has been closed.')
    expect(error.details).toEqual({ repoDir: repo.dir })
  })
})
