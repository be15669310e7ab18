import { PackwrightError } from '../errors.js'
import { type AttemptClock } from './github-timeouts.js'

/** How big an answer's body must be: exactly (a blob sized by its tree) or at most (JSON). */
export type GitHubBodySize = { readonly exactBytes: number } | { readonly maxBytes: number }

export interface GitHubBodyContext {
  /** `GET <url>`, for messages. */
  readonly what: string
  /** What is read, for messages: a quoted file path, `the tree`… */
  readonly subject: string
  /** The file path, for `details`, when a file is read. */
  readonly path?: string | undefined
  readonly size: GitHubBodySize
}

/** What one read of a body stream gives. */
type ChunkResult = Awaited<ReturnType<ReadableStreamDefaultReader<Uint8Array>['read']>>

/** How a body was found to have the wrong size. */
type SizeFinding = 'announced' | 'stopped' | 'short'

function sizeError(
  context: GitHubBodyContext,
  bytes: number,
  finding: SizeFinding,
): PackwrightError {
  const { what, subject, path, size } = context
  const facts = {
    request: what,
    ...(path === undefined ? {} : { path }),
    ...(finding === 'announced' ? { announcedBytes: bytes } : { receivedBytes: bytes }),
  }
  const seen =
    finding === 'announced'
      ? `the answer announces ${bytes} bytes (Content-Length), so it was not downloaded`
      : `${bytes} bytes had arrived when the download was stopped`
  if ('maxBytes' in size) {
    return new PackwrightError(
      'GITHUB_RESPONSE_TOO_LARGE',
      `GitHub's answer for ${subject} is larger than the limit of ${size.maxBytes} bytes: ${seen} (${what}).`,
      {
        hint: 'A repository this large is better packaged from a local checkout (a `git:{repoDir}#{sha}` source); the limit is the `maxJsonBytes` option.',
        details: { ...facts, limitBytes: size.maxBytes },
      },
    )
  }
  return new PackwrightError(
    'GITHUB_SIZE_MISMATCH',
    finding === 'short'
      ? `GitHub sent ${bytes} bytes for ${subject}, but the tree lists ${size.exactBytes} (${what}).`
      : `GitHub sent more than the ${size.exactBytes} bytes the tree lists for ${subject}: ${seen} (${what}).`,
    {
      hint: 'The server is broken or not GitHub; nothing of this file was packaged.',
      details: { ...facts, declaredBytes: size.exactBytes },
    },
  )
}

/** The body length a response announces, when its bytes arrive as sent (not compressed). */
function announcedLength(response: Response): number | undefined {
  const encoding = response.headers.get('content-encoding')
  if (encoding !== null && encoding.trim().toLowerCase() !== 'identity') return undefined
  const text = response.headers.get('content-length')
  if (text === null || !/^\d+$/.test(text.trim())) return undefined
  return Number(text)
}

/**
 * The body of a response as chunks, counted while they arrive: the download
 * stops as soon as more bytes than allowed have come (before they are handed
 * on), and a body shorter than an exact size fails at its end. Each wait for
 * a chunk runs on the attempt's clock. Ending the iteration early cancels the
 * download.
 *
 * @throws PackwrightError `GITHUB_SIZE_MISMATCH` (exact size),
 *   `GITHUB_RESPONSE_TOO_LARGE` (size limit); whatever reading the body
 *   throws (network failures, aborts) passes through for the caller to map.
 */
export async function* checkedBodyChunks(
  response: Response,
  clock: AttemptClock,
  context: GitHubBodyContext,
): AsyncGenerator<Buffer, void, undefined> {
  const limit = 'exactBytes' in context.size ? context.size.exactBytes : context.size.maxBytes
  const announced = announcedLength(response)
  if (announced !== undefined && announced > limit) {
    await response.body?.cancel().catch(() => undefined)
    throw sizeError(context, announced, 'announced')
  }
  if (response.body === null) {
    if (limit > 0 && 'exactBytes' in context.size) throw sizeError(context, 0, 'short')
    return
  }
  const reader = response.body.getReader()
  let received = 0
  let finished = false
  try {
    for (;;) {
      clock.waiting()
      let next: ChunkResult
      try {
        next = await reader.read()
      } finally {
        clock.received()
      }
      if (next.done) {
        finished = true
        break
      }
      received += next.value.byteLength
      if (received > limit) throw sizeError(context, received, 'stopped')
      yield Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength)
    }
  } finally {
    if (!finished) await reader.cancel().catch(() => undefined)
  }
  if ('exactBytes' in context.size && received !== context.size.exactBytes) {
    throw sizeError(context, received, 'short')
  }
}

/** Up to `maxBytes` of a body (for error messages), then cancels the rest. */
export async function readBodyPrefix(
  response: Response,
  clock: AttemptClock,
  maxBytes: number,
): Promise<string> {
  if (response.body === null) return ''
  const reader = response.body.getReader()
  const chunks: Buffer[] = []
  let received = 0
  try {
    while (received < maxBytes) {
      clock.waiting()
      let next: ChunkResult
      try {
        next = await reader.read()
      } finally {
        clock.received()
      }
      if (next.done) break
      chunks.push(Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength))
      received += next.value.byteLength
    }
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8')
}
