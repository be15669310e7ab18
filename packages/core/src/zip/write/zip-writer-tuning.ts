/** Where deflate cuts entries: part of the determinism contract, never tuned per machine. */
export const DEFLATE_PIECES = {
  // Small enough that probing incompressible data costs little, large enough to judge it.
  probeSize: 16 * 1024,
  chunkSize: 1024 * 1024,
  dictionarySize: 32 * 1024,
} as const

/** Entries larger than this are streamed in pieces (with a data descriptor); smaller ones are handled whole. */
export const STREAMED_ENTRY_THRESHOLD = DEFLATE_PIECES.probeSize + DEFLATE_PIECES.chunkSize

/** Streamed entries this large carry ZIP64 sizes in their local header and data descriptor. */
export const STREAMED_ZIP64_THRESHOLD = 0xf0000000

/** Knobs that change speed and memory, never the bytes written. */
export interface ZipWriterTuning {
  /** Worker threads, or 'auto': none for small archives, else one per core (at most 8). */
  readonly threads: number | 'auto'
  /** Content bytes read but not yet written, at most (one larger entry piece may exceed it). */
  readonly budgetBytes: number
  /** Whole entries are grouped into jobs of about this many bytes… */
  readonly batchBytes: number
  /** …or this many entries, whichever comes first. */
  readonly batchEntries: number
  /** Jobs of whole entries in flight, at most. */
  readonly batchesInFlight: number
  /** Called once the zip is written, with how much pooled memory the writer needed. */
  readonly onMemoryUse?: (use: ZipWriterMemoryUse) => void
}

/** Buffers the writer's pools created: in-flight memory is at most about these times their size. */
export interface ZipWriterMemoryUse {
  /** Buffers of about `batchBytes` for jobs of whole entries. */
  readonly batchBuffers: number
  /** Buffers of one piece (1 MiB) for streamed entries. */
  readonly pieceBuffers: number
}

/** The tuning `writeDeterministicZip` uses. */
export const AUTO_ZIP_WRITER_TUNING: ZipWriterTuning = {
  threads: 'auto',
  budgetBytes: 4 * 1024 * 1024,
  batchBytes: 512 * 1024,
  batchEntries: 64,
  batchesInFlight: 4,
}
