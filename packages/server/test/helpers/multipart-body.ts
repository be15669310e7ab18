/** One part of a multipart/form-data body built by a test. */
export type TestPart =
  | { readonly name: string; readonly value: string }
  | {
      readonly name: string
      readonly filename: string
      readonly content: Buffer
      readonly contentType?: string
    }

export interface MultipartBody {
  readonly payload: Buffer
  readonly headers: { 'content-type': string }
}

/** Builds a multipart/form-data body as curl or the cf CLI would send it. */
export function multipartBody(parts: readonly TestPart[]): MultipartBody {
  const boundary = '----packwright-test-boundary-5c1f'
  const chunks: Buffer[] = []
  for (const part of parts) {
    if ('filename' in part) {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: ${part.contentType ?? 'application/octet-stream'}\r\n\r\n`,
        ),
        part.content,
        Buffer.from('\r\n'),
      )
    } else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"\r\n\r\n${part.value}\r\n`,
        ),
      )
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return {
    payload: Buffer.concat(chunks),
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
  }
}
