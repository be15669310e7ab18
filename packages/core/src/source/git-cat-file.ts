import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { Readable } from 'node:stream'
import { PackwrightError } from '../errors.js'
import { gitFailed, summariseGitStderr } from './run-git.js'
import { abortedError } from '../_internal/abort.js'

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/
const CHUNK_SIZE = 64 * 1024
const STDERR_LIMIT = 16 * 1024
const EXIT_GRACE_MS = 2000

/** Pulls lines and byte runs out of a stream, keeping what was read ahead. */
class ByteReader {
  readonly #iterator: AsyncIterator<Buffer>
  #pending: Buffer = Buffer.alloc(0)

  constructor(stream: Readable) {
    this.#iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  }

  async #fill(): Promise<void> {
    const next = await this.#iterator.next()
    if (next.done === true) throw new Error('git cat-file ended its output early')
    this.#pending =
      this.#pending.length === 0 ? next.value : Buffer.concat([this.#pending, next.value])
  }

  async readLine(): Promise<string> {
    let newline = this.#pending.indexOf(10)
    while (newline < 0) {
      await this.#fill()
      newline = this.#pending.indexOf(10)
    }
    const line = this.#pending.subarray(0, newline).toString('utf8')
    this.#pending = this.#pending.subarray(newline + 1)
    return line
  }

  async readUpTo(max: number): Promise<Buffer> {
    if (this.#pending.length === 0) await this.#fill()
    const taken = this.#pending.subarray(0, Math.min(max, this.#pending.length))
    this.#pending = this.#pending.subarray(taken.length)
    return taken
  }
}

interface ObjectHeader {
  readonly type: string
  readonly size: number
  /** Bytes of content still to take from the stream (then one `\n`). */
  remaining: number
  readonly release: () => void
}

/**
 * One long-lived `git cat-file --batch` process: object requests are queued
 * and answered one at a time, so thousands of blobs cost one process.
 */
export class GitCatFile {
  readonly #repoDir: string
  readonly #signal: AbortSignal | undefined
  readonly #child: ChildProcessWithoutNullStreams
  readonly #bytes: ByteReader
  readonly #exited: Promise<void>
  #queue: Promise<void> = Promise.resolve()
  #failure: PackwrightError | undefined
  #stderr = ''
  #closing = false

  constructor(repoDir: string, signal?: AbortSignal) {
    this.#repoDir = repoDir
    this.#signal = signal
    this.#child = spawn('git', ['-C', repoDir, 'cat-file', '--batch'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(signal === undefined ? {} : { signal }),
    })
    this.#bytes = new ByteReader(this.#child.stdout)
    this.#child.stderr.setEncoding('utf8')
    this.#child.stderr.on('data', (chunk: string) => {
      if (this.#stderr.length < STDERR_LIMIT) this.#stderr += chunk
    })
    // Write failures show up as the process ending; nothing to do here.
    this.#child.stdin.on('error', () => undefined)
    this.#exited = new Promise<void>((resolve) => {
      this.#child.once('error', (error) => {
        this.#failure ??= this.#failureFor(error)
        resolve()
      })
      this.#child.once('close', () => {
        this.#failure ??= this.#failureFor(undefined)
        resolve()
      })
    })
  }

  #failureFor(error: Error | undefined): PackwrightError {
    if (this.#signal?.aborted === true) return abortedError(this.#signal, 'Reading git objects')
    if (this.#closing) {
      return new PackwrightError('GIT_FAILED', 'The git object reader has been closed.', {
        details: { repoDir: this.#repoDir },
      })
    }
    const detail = summariseGitStderr(this.#stderr) || error?.message || 'the process ended'
    return gitFailed(['cat-file'], this.#repoDir, detail)
  }

  #acquire(): Promise<() => void> {
    let release!: () => void
    const turn = new Promise<void>((resolve) => (release = resolve))
    const previous = this.#queue
    this.#queue = previous.then(() => turn)
    return previous.then(() => release)
  }

  #broken(error: unknown): PackwrightError {
    if (error instanceof PackwrightError) return error
    // The output stream is out of step now; every later request fails too.
    this.#failure ??=
      this.#signal?.aborted === true
        ? abortedError(this.#signal, 'Reading git objects')
        : gitFailed(
            ['cat-file'],
            this.#repoDir,
            summariseGitStderr(this.#stderr) || (error instanceof Error ? error.message : 'failed'),
          )
    return this.#failure
  }

  async #request(objectId: string): Promise<ObjectHeader> {
    if (!OBJECT_ID.test(objectId)) {
      throw new PackwrightError(
        'INVALID_ARGUMENT',
        `Not a git object id: ${JSON.stringify(objectId)}.`,
      )
    }
    const release = await this.#acquire()
    try {
      if (this.#failure !== undefined) throw this.#failure
      this.#child.stdin.write(`${objectId}\n`)
      const header = await this.#bytes.readLine()
      const [id, type = '', sizeText = ''] = header.split(' ')
      if (type === 'missing' || id !== objectId) {
        throw new PackwrightError(
          'SOURCE_READ_FAILED',
          `The git object ${objectId} is missing from ${JSON.stringify(this.#repoDir)}.`,
          {
            hint: 'The repository may be shallow or partial; fetch the full history and retry.',
            details: { objectId, repoDir: this.#repoDir },
          },
        )
      }
      const size = Number(sizeText)
      if (!Number.isSafeInteger(size) || size < 0) throw new Error(`bad header: ${header}`)
      return { type, size, remaining: size, release }
    } catch (error) {
      release()
      if (error instanceof PackwrightError && error.code === 'SOURCE_READ_FAILED') throw error
      throw this.#broken(error)
    }
  }

  /** Takes the rest of the current object (and its trailing newline) off the stream. */
  async #finish(header: ObjectHeader): Promise<void> {
    try {
      while (header.remaining > 0) {
        header.remaining -= (
          await this.#bytes.readUpTo(Math.min(header.remaining, CHUNK_SIZE))
        ).length
      }
      const newline = await this.#bytes.readUpTo(1)
      if (newline[0] !== 10) throw new Error('git cat-file output is out of step')
    } catch (error) {
      throw this.#broken(error)
    } finally {
      header.release()
    }
  }

  /**
   * The whole object.
   *
   * @throws PackwrightError `SOURCE_READ_FAILED` for a missing object,
   *   `GIT_FAILED` when git fails, `ABORTED` when cancelled.
   */
  async read(objectId: string): Promise<{ type: string; bytes: Buffer }> {
    const header = await this.#request(objectId)
    const bytes = Buffer.allocUnsafe(header.size)
    let offset = 0
    try {
      while (header.remaining > 0) {
        const chunk = await this.#bytes.readUpTo(header.remaining)
        chunk.copy(bytes, offset)
        offset += chunk.length
        header.remaining -= chunk.length
      }
    } catch (error) {
      header.release()
      throw this.#broken(error)
    }
    await this.#finish(header)
    return { type: header.type, bytes }
  }

  /**
   * The object's content as a stream; later requests wait until it has been
   * consumed (or destroyed, in which case the rest is skipped).
   */
  stream(objectId: string, check: (header: { type: string; size: number }) => void): Readable {
    let header: ObjectHeader | undefined
    let started = false
    let finished = false
    // The read in flight, if any: skipping the rest must wait for it.
    let pumping: Promise<void> = Promise.resolve()
    const settle = (): void => {
      if (finished) return
      finished = true
      pumping
        .then(() => (header === undefined ? undefined : this.#finish(header)))
        // Errors here already marked the process as failed for later requests.
        .catch(() => undefined)
    }
    const pump = async (): Promise<void> => {
      try {
        if (!started) {
          started = true
          header = await this.#request(objectId)
          if (readable.destroyed) return
          check(header)
        }
        const current = header as ObjectHeader
        if (current.remaining === 0) {
          finished = true
          await this.#finish(current)
          readable.push(null)
          return
        }
        const chunk = await this.#bytes.readUpTo(Math.min(current.remaining, CHUNK_SIZE))
        current.remaining -= chunk.length
        readable.push(chunk)
      } catch (error) {
        readable.destroy(error instanceof PackwrightError ? error : this.#broken(error))
      }
    }
    const readable: Readable = new Readable({
      read: () => {
        pumping = pump()
      },
      destroy: (error, callback) => {
        settle()
        callback(error)
      },
    })
    return readable
  }

  /** Ends the process; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closing) return this.#exited
    this.#closing = true
    this.#child.stdin.end()
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), EXIT_GRACE_MS)
    // Unread output would keep git blocked on a full pipe.
    this.#child.stdout.resume()
    await this.#exited
    clearTimeout(timer)
  }
}
