import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout } from 'node:timers/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { catFileWithFakeGit } from '../../test/helpers/fake-git-cat-file.js'
import { rejection } from '../../test/helpers/rejection.js'
import { type GitCatFile } from './git-cat-file.js'

// `git` here is a shell script standing in for `git cat-file --batch`: it
// reads the requests and writes the answers (or the garbage) each case needs.

const ID_A = 'a'.repeat(40)
const ID_B = 'b'.repeat(40)

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

/** A reader whose `git` runs `script` (sh); `repoDir` is an empty folder. */
async function readerWithGit(
  script: string | undefined,
): Promise<{ catFile: GitCatFile; repoDir: string }> {
  const fake = await catFileWithFakeGit(script)
  cleanups.push(() => fake.cleanup())
  return fake
}

/** The message of a `git cat-file` failure in `repoDir`. */
const failed = (repoDir: string, detail: string): string =>
  `git cat-file failed in ${JSON.stringify(repoDir)}: ${detail}`

describe('GitCatFile with a git that misbehaves', () => {
  it('fails every request once git answers for an object it was not asked for', async () => {
    const { catFile, repoDir } = await readerWithGit(
      `read -r id\nprintf '%s blob 1\\nx\\n' ${ID_B}\nexec cat >/dev/null`,
    )
    const error = await rejection(catFile.read(ID_A))
    expect(error.code).toBe('GIT_FAILED')
    expect(error.message).toBe(failed(repoDir, `unexpected output "${ID_B} blob 1"`))
    expect((await rejection(catFile.read(ID_A))).message).toBe(error.message)
  })

  it('fails the next request when git writes more than it was asked for', async () => {
    const { catFile, repoDir } = await readerWithGit(
      `read -r id\nprintf '%s blob 1\\nx\\nsurprise\\n' "$id"\nexec cat >/dev/null`,
    )
    expect((await catFile.read(ID_A)).bytes.toString()).toBe('x')
    const error = await rejection(catFile.read(ID_B))
    expect(error.message).toBe(failed(repoDir, 'unexpected output "surprise"'))
  })

  it('shows the first 100 characters of an unexpected line', async () => {
    const line = `${ID_B} ${'t'.repeat(100)} 1`
    const { catFile, repoDir } = await readerWithGit(
      `read -r id\nprintf '%s\\n' '${line}'\nexec cat >/dev/null`,
    )
    const error = await rejection(catFile.read(ID_A))
    expect(error.message).toBe(failed(repoDir, `unexpected output "${line.slice(0, 100)}"`))
  })

  it.each([
    ['no size', 'blob'],
    ['a fraction', 'blob 1.5'],
    ['a negative size', 'blob -1'],
    ['a size that is not a number', 'blob abc'],
    ['no type and no size', ''],
  ])('refuses a header with %s', async (_, rest) => {
    const line = rest === '' ? ID_A : `${ID_A} ${rest}`
    const { catFile, repoDir } = await readerWithGit(
      `read -r id\nprintf '%s\\n' '${line}'\nexec cat >/dev/null`,
    )
    const error = await rejection(catFile.read(ID_A))
    expect(error.code).toBe('GIT_FAILED')
    expect(error.message).toBe(failed(repoDir, `bad header ${JSON.stringify(line)}`))
  })

  it('shows the first 100 characters of a bad header', async () => {
    const line = `${ID_A} blob ${'9'.repeat(80)}`
    const { catFile, repoDir } = await readerWithGit(
      `read -r id\nprintf '%s\\n' '${line}'\nexec cat >/dev/null`,
    )
    const error = await rejection(catFile.read(ID_A))
    expect(error.message).toBe(failed(repoDir, `bad header "${line.slice(0, 100)}"`))
  })

  it('fails when the content is longer than its header said', async () => {
    const { catFile, repoDir } = await readerWithGit(
      `read -r id\nprintf '%s blob 3\\nabcX\\n' "$id"\nexec cat >/dev/null`,
    )
    const error = await rejection(catFile.read(ID_A))
    expect(error.message).toBe(failed(repoDir, 'git cat-file output is out of step'))
  })

  it('fails on a header line longer than 256 characters before its end arrives', async () => {
    const { catFile, repoDir } = await readerWithGit(
      `read -r id\nprintf '%0257d' 0\nexec cat >/dev/null`,
    )
    const error = await rejection(catFile.read(ID_A))
    expect(error.message).toBe(failed(repoDir, 'git cat-file output is out of step'))
  })

  it('takes a line of 256 characters as a header', async () => {
    const line = '0'.repeat(256)
    const { catFile, repoDir } = await readerWithGit(
      `read -r id\nprintf '%0256d\\n' 0\nexec cat >/dev/null`,
    )
    const error = await rejection(catFile.read(ID_A))
    expect(error.message).toBe(failed(repoDir, `unexpected output "${line.slice(0, 100)}"`))
  })

  it("puts git's error output in the failure", async () => {
    const { catFile, repoDir } = await readerWithGit(
      `echo 'fatal: not a git repository' >&2\nexit 128`,
    )
    const error = await rejection(catFile.read(ID_A))
    expect(error.code).toBe('GIT_FAILED')
    expect(error.message).toBe(failed(repoDir, 'fatal: not a git repository'))
  })

  it('says the process ended when git exits without a word', async () => {
    const { catFile, repoDir } = await readerWithGit('exit 0')
    const error = await rejection(catFile.read(ID_A))
    expect(error.message).toBe(failed(repoDir, 'the process ended'))
  })

  it('fails the request when git closes its input unread, with no write error left unhandled', async () => {
    // The request is written to a closed pipe (EPIPE); only git's exit may decide the answer.
    // git is called as `git -C <repoDir> cat-file --batch`: "$2" is the repository.
    const { catFile, repoDir } = await readerWithGit(
      'exec 0<&-\ntouch "$2/input-closed"\nsleep 0.5\nexit 0',
    )
    while (!existsSync(join(repoDir, 'input-closed'))) await setTimeout(10)
    const error = await rejection(catFile.read(ID_A))
    expect(error.message).toBe(failed(repoDir, 'the process ended'))
  })

  it('fails a request made after git has exited at once, with the same error', async () => {
    const { catFile, repoDir } = await readerWithGit('exit 0')
    await rejection(catFile.read(ID_A))
    // git is gone: nothing will ever answer, so the request must not wait.
    const later = await rejection(catFile.read(ID_B))
    expect(later.code).toBe('GIT_FAILED')
    expect(later.message).toBe(failed(repoDir, 'the process ended'))
  }, 5000)

  it('says why git could not be started, for every request', async () => {
    const { catFile, repoDir } = await readerWithGit(undefined)
    const error = await rejection(catFile.read(ID_A))
    expect(error.code).toBe('GIT_FAILED')
    expect(error.message).toBe(failed(repoDir, 'spawn git ENOENT'))
    expect((await rejection(catFile.read(ID_B))).message).toBe(error.message)
  })

  it('reads headers that arrive in pieces', async () => {
    // Each printf is a write of its own; the pauses let each arrive alone.
    const { catFile } = await readerWithGit(
      [
        'read -r a',
        `printf '%s bl' "$a"`,
        'sleep 0.2',
        "printf 'ob 3'",
        'sleep 0.2',
        "printf '\\nabc\\n'",
        'read -r b',
        `printf '%s blob 2' "$b"`,
        'sleep 0.2',
        "printf '\\nde\\n'",
        'exec cat >/dev/null',
      ].join('\n'),
    )
    const [first, second] = await Promise.all([catFile.read(ID_A), catFile.read(ID_B)])
    expect(first.bytes.toString()).toBe('abc')
    expect(second.bytes.toString()).toBe('de')
  })

  it('ends a git that does not stop when its input ends', async () => {
    const { catFile } = await readerWithGit('exec sleep 30')
    await catFile.close()
  }, 10_000)
})
