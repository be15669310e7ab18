import { randomBytes } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { Readable } from 'node:stream'
import type { ResourceDescriptor } from '@packwright/core'
import type { RequestBody } from './http-transport.js'

export interface UploadBodyInput {
  /** The matched resources; sent as `[]` when none matched, never omitted. */
  readonly resources: readonly ResourceDescriptor[]
  /** The zip of the unmatched files, or undefined when every file matched. */
  readonly bits?: { readonly path: string; readonly size: number }
  /** Bytes of the `bits` zip sent so far in this attempt. */
  readonly onBitsProgress?: (sent: number) => void
}

/**
 * The multipart/form-data body of an upload: a `resources` field first, then
 * the `bits` file part streamed from disk. Its length is known before the
 * first byte, so it goes with an exact `Content-Length`; each call opens the
 * zip afresh, so a retried upload is a clean request.
 */
export function createUploadBody(input: UploadBodyInput): RequestBody {
  const boundary = `----packwright-${randomBytes(12).toString('hex')}`
  const resourcesPart =
    `--${boundary}\r\nContent-Disposition: form-data; name="resources"\r\n\r\n` +
    `${JSON.stringify(input.resources)}\r\n`
  const bitsHead =
    input.bits === undefined
      ? ''
      : `--${boundary}\r\nContent-Disposition: form-data; name="bits"; filename="package.zip"\r\n` +
        `Content-Type: application/zip\r\n\r\n`
  const bitsTail = input.bits === undefined ? '' : '\r\n'
  const closing = `--${boundary}--\r\n`
  const head = Buffer.from(resourcesPart + bitsHead, 'utf8')
  const tail = Buffer.from(bitsTail + closing, 'utf8')
  const bits = input.bits
  const onBitsProgress = input.onBitsProgress

  async function* chunks(): AsyncGenerator<Buffer> {
    yield head
    if (bits !== undefined) {
      let sent = 0
      for await (const chunk of createReadStream(bits.path, { highWaterMark: 256 * 1024 })) {
        const buffer = chunk as Buffer
        yield buffer
        sent += buffer.length
        onBitsProgress?.(sent)
      }
    }
    yield tail
  }

  return {
    stream: Readable.from(chunks(), { objectMode: false }),
    length: head.length + (bits?.size ?? 0) + tail.length,
    contentType: `multipart/form-data; boundary=${boundary}`,
  }
}
