import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { Readable } from 'node:stream'
import { PackwrightError } from '../errors.js'
import { gitFailed, summariseGitStderr } from './run-git.js'
import { abortedError } from '../_internal/abort.js'

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/
const STDERR_LIMIT = 16 * 1024
const EXIT_GRACE_MS = 2000
/** A header line is an object id, a type and a size: anything longer is out of step. */
const HEADER_LIMIT = 256

/** Where one requested object's answer goes as it is parsed off git's output. */
interface ObjectAnswer {
  readonly objectId: string
  /** The header arrived; the content follows. */
  begin(type: string, size: number): void
  /** A piece of the content; `false` stops reading git's output until `resume`. */
  content(piece: Buffer): boolean
  /** The whole content has been handed over. */
  end(): void
  /** No content will come: the object is missing or the process failed. */
  fail(error: PackwrightError): void
}

type ParseState = 'header' | 'content' | 'newline'

function missingObject(objectId: string, repoDir: string): PackwrightError {
  return new PackwrightError(
    'SOURCE_READ_FAILED',
    `The git object ${objectId} is missing from ${JSON.stringify(repoDir)}.`,
    {
      hint: 'The repository may be shallow or partial; fetch the full history and retry.',
      details: { objectId, repoDir },
    },
  )
}

/**
 * One long-lived `git cat-file --batch` process. Requests are written as soon
 * as they are made, without waiting for earlier answers, and the answers are
 * parsed off git's output in request order: git reads the next object while
 * earlier ones are still being taken in, so thousands of blobs cost one
 * process and no round trip each.
 */
export class GitCatFile {
  readonly #repoDir: string
  readonly #signal: AbortSignal | undefined
  readonly #child: ChildProcessWithoutNullStreams
  readonly #exited: Promise<void>
  /** Requests written to git and not yet fully answered, oldest first, from `#head`. */
  #answers: ObjectAnswer[] = []
  #head = 0
  #state: ParseState = 'header'
  #header: Buffer = Buffer.alloc(0)
  #remaining = 0
  /** Output not parsed yet because the current answer asked to stop. */
  #held: Buffer[] = []
  #paused = false
  #parsing = false
  /** Request lines made in this turn of the event loop, written to git together at its end. */
  #unsent = ''
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
    this.#child.stdout.on('data', (chunk: Buffer) => {
      if (this.#paused || this.#held.length > 0) this.#held.push(chunk)
      else this.#parse(chunk)
    })
    this.#child.stderr.setEncoding('utf8')
    this.#child.stderr.on('data', (chunk: string) => {
      if (this.#stderr.length < STDERR_LIMIT) this.#stderr += chunk
    })
    // Write failures show up as the process ending; nothing to do here.
    this.#child.stdin.on('error', () => undefined)
    this.#exited = new Promise<void>((resolve) => {
      this.#child.once('error', (error) => {
        this.#fail(this.#failureFor(error))
        resolve()
      })
      this.#child.once('close', () => {
        this.#fail(this.#failureFor(undefined))
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

  /** Fails every request in flight and every later one with `error` (the first failure wins). */
  #fail(error: PackwrightError): void {
    this.#failure ??= error
    const waiting = this.#answers.slice(this.#head)
    this.#answers = []
    this.#head = 0
    this.#held = []
    this.#paused = false
    // Output still coming is dropped; git must not block on a full pipe.
    this.#child.stdout.resume()
    for (const answer of waiting) answer.fail(this.#failure)
  }

  /** git's output no longer matches the requests: nothing more from it can be trusted. */
  #outOfStep(detail: string): void {
    const error =
      this.#signal?.aborted === true
        ? abortedError(this.#signal, 'Reading git objects')
        : gitFailed(['cat-file'], this.#repoDir, summariseGitStderr(this.#stderr) || detail)
    this.#fail(error)
    this.#child.kill('SIGKILL')
  }

  #enqueue(answer: ObjectAnswer): void {
    if (!OBJECT_ID.test(answer.objectId)) {
      answer.fail(
        new PackwrightError(
          'INVALID_ARGUMENT',
          `Not a git object id: ${JSON.stringify(answer.objectId)}.`,
        ),
      )
      return
    }
    if (this.#failure !== undefined || this.#closing) {
      answer.fail(this.#failure ?? this.#failureFor(undefined))
      return
    }
    this.#answers.push(answer)
    // Requests made in one turn of the event loop go to git in one write.
    if (this.#unsent === '') {
      process.nextTick(() => {
        const lines = this.#unsent
        this.#unsent = ''
        if (this.#failure === undefined) this.#child.stdin.write(lines)
      })
    }
    this.#unsent += `${answer.objectId}\n`
  }

  /** The answer being parsed, dropped from the queue once `done`. */
  #current(done: boolean): ObjectAnswer | undefined {
    const answer = this.#answers[this.#head]
    if (done && answer !== undefined) {
      this.#head++
      if (this.#head >= 1024 && this.#head * 2 >= this.#answers.length) {
        this.#answers = this.#answers.slice(this.#head)
        this.#head = 0
      }
    }
    return answer
  }

  /** Parses a chunk of git's output; whatever follows a pause is held back. */
  #parse(chunk: Buffer): void {
    this.#parsing = true
    try {
      let at = 0
      while (at < chunk.length) {
        if (this.#failure !== undefined) return
        if (this.#paused) {
          this.#held.unshift(chunk.subarray(at))
          return
        }
        if (this.#state === 'header') {
          const newline = chunk.indexOf(10, at)
          const end = newline < 0 ? chunk.length : newline
          this.#header =
            this.#header.length === 0
              ? chunk.subarray(at, end)
              : Buffer.concat([this.#header, chunk.subarray(at, end)])
          if (this.#header.length > HEADER_LIMIT) {
            this.#outOfStep('git cat-file output is out of step')
            return
          }
          at = end + 1
          if (newline < 0) return
          const line = this.#header.toString('utf8')
          this.#header = Buffer.alloc(0)
          this.#startAnswer(line)
        } else if (this.#state === 'content') {
          const answer = this.#current(false) as ObjectAnswer
          const piece = chunk.subarray(at, at + Math.min(this.#remaining, chunk.length - at))
          at += piece.length
          this.#remaining -= piece.length
          if (this.#remaining === 0) this.#state = 'newline'
          if (!answer.content(piece)) {
            this.#paused = true
            this.#child.stdout.pause()
          }
        } else {
          if (chunk[at] !== 10) {
            this.#outOfStep('git cat-file output is out of step')
            return
          }
          at++
          this.#state = 'header'
          ;(this.#current(true) as ObjectAnswer).end()
        }
      }
    } finally {
      this.#parsing = false
    }
  }

  #startAnswer(line: string): void {
    const answer = this.#current(false)
    const [id, type = '', sizeText = ''] = line.split(' ')
    if (answer === undefined || id !== answer.objectId) {
      this.#outOfStep(`unexpected output ${JSON.stringify(line.slice(0, 100))}`)
      return
    }
    if (type === 'missing') {
      this.#current(true)
      answer.fail(missingObject(answer.objectId, this.#repoDir))
      return
    }
    const size = Number(sizeText)
    if (sizeText === '' || !Number.isSafeInteger(size) || size < 0) {
      this.#outOfStep(`bad header ${JSON.stringify(line.slice(0, 100))}`)
      return
    }
    this.#remaining = size
    this.#state = size === 0 ? 'newline' : 'content'
    answer.begin(type, size)
  }

  /** Lets parsing go on after the current answer stopped it (called by that answer). */
  #resume(): void {
    if (!this.#paused || this.#parsing) return
    this.#paused = false
    while (this.#held.length > 0 && !this.#paused && this.#failure === undefined) {
      this.#parse(this.#held.shift() as Buffer)
    }
    if (!this.#paused) this.#child.stdout.resume()
  }

  /**
   * The whole object.
   *
   * @throws PackwrightError `SOURCE_READ_FAILED` for a missing object,
   *   `GIT_FAILED` when git fails, `ABORTED` when cancelled.
   */
  read(objectId: string): Promise<{ type: string; bytes: Buffer }> {
    return new Promise((resolve, reject) => {
      let type = ''
      let size = 0
      let bytes: Buffer | undefined
      let filled = 0
      this.#enqueue({
        objectId,
        begin(objectType, objectSize) {
          type = objectType
          size = objectSize
        },
        content(piece) {
          // An object that came in one piece of git's output is kept as that piece.
          if (piece.length === size) {
            bytes = piece
            return true
          }
          bytes ??= Buffer.allocUnsafe(size)
          piece.copy(bytes, filled)
          filled += piece.length
          return true
        },
        end: () => resolve({ type, bytes: bytes ?? Buffer.alloc(0) }),
        fail: reject,
      })
    })
  }

  /**
   * The object's content as a stream. The request is made when the stream is
   * first read; later answers wait until it has been consumed (or destroyed,
   * in which case the rest is skipped). `check` may throw to refuse the object.
   */
  stream(objectId: string, check: (header: { type: string; size: number }) => void): Readable {
    let requested = false
    let ended = false
    const answer: ObjectAnswer = {
      objectId,
      begin(type, size) {
        try {
          check({ type, size })
        } catch (error) {
          readable.destroy(error as Error)
        }
      },
      content(piece) {
        if (readable.destroyed) return true
        return readable.push(piece) || readable.destroyed
      },
      end() {
        ended = true
        if (!readable.destroyed) readable.push(null)
      },
      fail(error) {
        ended = true
        readable.destroy(error)
      },
    }
    const readable: Readable = new Readable({
      read: () => {
        if (requested) {
          // Only the answer being parsed can have stopped it.
          if (this.#current(false) === answer) this.#resume()
          return
        }
        requested = true
        this.#enqueue(answer)
      },
      destroy: (error, callback) => {
        // The rest of the object is skipped as it arrives.
        if (requested && !ended && this.#current(false) === answer) this.#resume()
        callback(error)
      },
    })
    return readable
  }

  /** Ends the process; safe to call twice. */
  async close(): Promise<void> {
    if (this.#closing) return this.#exited
    this.#closing = true
    // Requests still in flight fail now; their answers are dropped as they come.
    this.#fail(this.#failureFor(undefined))
    this.#child.stdin.end()
    const timer = setTimeout(() => this.#child.kill('SIGKILL'), EXIT_GRACE_MS)
    // Unread output would keep git blocked on a full pipe.
    this.#child.stdout.resume()
    await this.#exited
    clearTimeout(timer)
  }
}
