import { throwIfAborted } from '../_internal/abort.js'
import { isPackwrightError, quoteInput } from '../errors.js'
import { type ReadOptions, type SourceEntry, type SourceReader } from '../source/source-reader.js'
import { type SpicepodErrorDetails, spicepodError } from './spicepod-error.js'

/**
 * A source reader addressed by package path, where the package root is the
 * root manifest's folder. Every call checks the abort signal first, and a
 * reader failure that is not already a PackwrightError becomes Spice's read
 * failure, with `details` saying which link needed the read.
 */
export class SpicepodSource {
  readonly #reader: SourceReader
  readonly #signal: AbortSignal | undefined
  readonly #readOptions: ReadOptions
  /** Reader path of the package root (`''` when it is the reader's own root). */
  readonly root: string

  constructor(reader: SourceReader, root: string, signal: AbortSignal | undefined) {
    this.#reader = reader
    this.#signal = signal
    this.#readOptions = signal === undefined ? {} : { signal }
    this.root = root
  }

  /** The reader's description, for messages. */
  get description(): string {
    return this.#reader.description
  }

  /** The reader path of a package path. */
  readerPath(packagePath: string): string {
    return this.root === '' ? packagePath : `${this.root}/${packagePath}`
  }

  /** The package path of a reader path under the package root. */
  packagePath(readerPath: string): string {
    return this.root === '' ? readerPath : readerPath.slice(this.root.length + 1)
  }

  /**
   * The entry at a package path, or undefined when nothing is there.
   *
   * @throws PackwrightError `SPICEPOD_READ_FAILED`, `ABORTED`, or the reader's own.
   */
  stat(packagePath: string, details: SpicepodErrorDetails): Promise<SourceEntry | undefined> {
    const readerPath = this.readerPath(packagePath)
    return this.#call(readerPath, details, () => this.#reader.stat(readerPath, this.#readOptions))
  }

  /**
   * Every file and symlink under the folder at a package path (nothing when it is missing).
   *
   * @throws PackwrightError `SPICEPOD_READ_FAILED`, `ABORTED`, or the reader's own.
   */
  list(packagePath: string, details: SpicepodErrorDetails): Promise<SourceEntry[]> {
    const readerPath = this.readerPath(packagePath)
    return this.#call(readerPath, details, () => this.#reader.list(readerPath, this.#readOptions))
  }

  /**
   * The whole content of an entry this source returned.
   *
   * @throws PackwrightError `SPICEPOD_READ_FAILED`, `ABORTED`, or the reader's own.
   */
  readBytes(entry: SourceEntry, details: SpicepodErrorDetails): Promise<Buffer> {
    return this.#call(entry.path, details, () =>
      this.#reader.readBytes(entry.path, this.#readOptions),
    )
  }

  async #call<T>(
    readerPath: string,
    details: SpicepodErrorDetails,
    call: () => Promise<T>,
  ): Promise<T> {
    throwIfAborted(this.#signal)
    try {
      return await call()
    } catch (error) {
      if (isPackwrightError(error)) throw error
      throw spicepodError(
        'SPICEPOD_READ_FAILED',
        `Could not read ${quoteInput(readerPath)} from ${this.description}: ${error instanceof Error ? error.message : String(error)}`,
        details,
        { cause: error },
      )
    }
  }
}
