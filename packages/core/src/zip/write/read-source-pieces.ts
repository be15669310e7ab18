import { constants } from 'node:fs'
import { open } from 'node:fs/promises'
import { pipeline } from 'node:stream/promises'
import { type PlannedEntry } from '../../plan/planned-entry.js'
import { type SourceReader } from '../../source/source-reader.js'
import { type BufferPool } from './create-buffer-pool.js'
import { sourceChangedError } from './source-changed-error.js'

const LOCAL_OPEN_FLAGS =
  constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0)

/** Where the content of a streamed entry comes from. */
export interface EntryPieceSource {
  readonly reader: SourceReader
  readonly entry: PlannedEntry
  /** A local regular file holding the content (`SourceReader.localFilePath`): read directly, not through `open`. */
  readonly localFile: string | undefined
  readonly signal?: AbortSignal
}

/** How an entry is cut into pieces: the first piece, then every later one (the last may be shorter). */
export interface EntryPieceSizes {
  readonly firstSize: number
  readonly pieceSize: number
}

/**
 * Reads an entry's content piece by piece, each piece into a buffer taken
 * from `pool`, and hands the pieces to `onPiece` in order, waiting for each
 * call; the callback owns the piece and gives its buffer back to the pool.
 * A local file is read straight into the pieces (no intermediate buffers);
 * other sources are copied from the reader's stream.
 *
 * @throws PackwrightError `ZIP_SOURCE_CHANGED` when the content is not the
 *   planned size; errors of the reader, the file system or `onPiece` as they are.
 */
export async function readSourcePieces(
  source: EntryPieceSource,
  sizes: EntryPieceSizes,
  pool: BufferPool,
  onPiece: (piece: Uint8Array) => Promise<void>,
): Promise<void> {
  const { entry } = source
  const nextPiece = (position: number): Uint8Array =>
    pool.take(Math.min(position === 0 ? sizes.firstSize : sizes.pieceSize, entry.size - position))
  if (source.localFile !== undefined) {
    await readLocalPieces(source.localFile, entry, nextPiece, onPiece)
    return
  }

  let position = 0
  let piece = nextPiece(0)
  let filled = 0
  await pipeline(
    source.reader.open(
      entry.sourcePath,
      source.signal === undefined ? {} : { signal: source.signal },
    ),
    async (stream: AsyncIterable<Buffer | string>) => {
      for await (const chunk of stream) {
        let bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk
        while (bytes.length > 0) {
          if (position + bytes.length > entry.size) throw sourceChangedError(entry, 'more')
          const taken = Math.min(bytes.length, piece.length - filled)
          piece.set(bytes.subarray(0, taken), filled)
          filled += taken
          position += taken
          bytes = bytes.subarray(taken)
          if (filled === piece.length) {
            await onPiece(piece)
            if (position < entry.size) piece = nextPiece(position)
            filled = 0
          }
        }
      }
    },
    ...(source.signal === undefined ? [] : [{ signal: source.signal }]),
  )
  if (position !== entry.size) throw sourceChangedError(entry, `${position}`)
}

/** Reads a local regular file (never through a final symlink) of the planned size into pieces. */
async function readLocalPieces(
  path: string,
  entry: PlannedEntry,
  nextPiece: (position: number) => Uint8Array,
  onPiece: (piece: Uint8Array) => Promise<void>,
): Promise<void> {
  const handle = await open(path, LOCAL_OPEN_FLAGS)
  try {
    const stats = await handle.stat()
    if (!stats.isFile()) throw new Error('it is no longer a regular file')
    if (stats.size !== entry.size) throw sourceChangedError(entry, `${stats.size}`)
    let position = 0
    while (position < entry.size) {
      const piece = nextPiece(position)
      let filled = 0
      while (filled < piece.length) {
        const { bytesRead } = await handle.read(piece, filled, piece.length - filled, position)
        if (bytesRead === 0) throw sourceChangedError(entry, `${position}`)
        filled += bytesRead
        position += bytesRead
      }
      await onPiece(piece)
    }
    // A file that grew since it was planned has content past the planned end.
    const { bytesRead } = await handle.read(new Uint8Array(1), 0, 1, position)
    if (bytesRead > 0) throw sourceChangedError(entry, 'more')
  } finally {
    await handle.close()
  }
}
