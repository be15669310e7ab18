import { type PlannedEntry } from '../../plan/planned-entry.js'
import { type ZipEntryRecord } from './zip-records.js'

/** Bytes of the archive in the making: a local header, entry data, or a data descriptor. */
export type WriterSegment =
  | { readonly kind: 'header'; readonly record: ZipEntryRecord }
  | { readonly kind: 'data'; readonly bytes: Uint8Array; readonly record?: ZipEntryRecord }
  | { readonly kind: 'descriptor'; readonly record: ZipEntryRecord }

/** Finished files and symlinks of a piece, for the package's resource list. */
export interface PieceResources {
  readonly entries: readonly PlannedEntry[]
  /** Per entry, back to back: its SHA-1 then its SHA-256 (52 bytes). */
  readonly digests: Uint8Array
  /** Per entry, a symlink's target as written (its content decoded as UTF-8); unset for files. */
  readonly linkTargets?: readonly (string | undefined)[]
}

/** Output in archive order, produced ahead of the consumer that writes it. */
export interface WriterPiece {
  readonly segments: readonly WriterSegment[]
  readonly resources?: PieceResources
  /** Content bytes this piece holds against the budget. */
  readonly budgetBytes: number
  /** Holds one of the whole-entry job slots. */
  readonly batchSlot: boolean
  /** Returns pooled memory the segments point into; runs once they are on disk. */
  readonly afterWrite?: () => void
  readonly filesDone: number
  readonly bytesDone: number
}
