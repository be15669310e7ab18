import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import type {} from '@fastify/multipart'
import type { FastifyRequest } from 'fastify'
import { cfErrors } from '../http/cf-errors.js'

/** What a multipart upload request carried, the zip already on disk. */
export interface UploadParts {
  /** The temporary file holding the `bits` part, when there was one. */
  readonly bitsFile: string | undefined
  /** A `bits` part that came as a plain field, without a file name. */
  readonly bitsWithoutFile: boolean
  /** The raw `resources` field. */
  readonly resources: string | undefined
  /** Field names other than `bits` and `resources`, in order of arrival. */
  readonly unknownFields: readonly string[]
}

export interface ReadUploadPartsOptions {
  /** Folder the zip is streamed to (on the data folder's file system). */
  readonly uploadFolder: string
  /** Largest `bits` part, in bytes. */
  readonly maxBitsBytes: number
  /** Largest `resources` field, in bytes. */
  readonly maxResourcesBytes: number
}

/** Most parts an upload may have: `bits`, `resources` and a few unknown ones to name. */
const MAX_PARTS = 16

/**
 * Reads a multipart upload, streaming the `bits` part to a temporary file so
 * memory does not grow with its size. A request that ends early, is aborted
 * or exceeds a limit leaves no file behind.
 */
export async function readUploadParts(
  request: FastifyRequest,
  options: ReadUploadPartsOptions,
): Promise<UploadParts> {
  let bitsFile: string | undefined
  let bitsWithoutFile = false
  let resources: string | undefined
  const unknownFields: string[] = []
  try {
    const parts = request.parts({
      limits: {
        fileSize: options.maxBitsBytes,
        fieldSize: options.maxResourcesBytes,
        parts: MAX_PARTS,
      },
    })
    for await (const part of parts) {
      if (part.type === 'file') {
        if (part.fieldname !== 'bits' || bitsFile !== undefined) {
          if (part.fieldname !== 'bits') unknownFields.push(part.fieldname)
          part.file.resume()
          continue
        }
        await mkdir(options.uploadFolder, { recursive: true })
        bitsFile = join(options.uploadFolder, `upload-${randomBytes(8).toString('hex')}.zip`)
        await pipeline(part.file, createWriteStream(bitsFile, { flags: 'wx', mode: 0o600 }))
        if (part.file.truncated) throw cfErrors.requestEntityTooLarge(options.maxBitsBytes)
      } else if (part.fieldname === 'resources') {
        if (part.valueTruncated) throw cfErrors.requestEntityTooLarge(options.maxResourcesBytes)
        resources = String(part.value)
      } else if (part.fieldname === 'bits') {
        bitsWithoutFile = true
      } else {
        unknownFields.push(part.fieldname)
      }
    }
  } catch (error) {
    if (bitsFile !== undefined) await unlink(bitsFile).catch(() => undefined)
    throw error
  }
  return { bitsFile, bitsWithoutFile, resources, unknownFields }
}
