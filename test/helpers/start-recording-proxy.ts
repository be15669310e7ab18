import { createServer, request as forward } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request the proxy passed on, with its whole body. */
export interface ProxiedRequest {
  readonly method: string
  readonly url: string
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: Buffer
}

export interface RecordingProxy {
  readonly url: string
  /** Every request, in arrival order. */
  readonly requests: ProxiedRequest[]
  close(): Promise<void>
}

/**
 * A 127.0.0.1 HTTP proxy in front of `target` that records each request's
 * body as it passes it on: what the server received, byte for byte.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const origin = new URL(target)
  const requests: ProxiedRequest[] = []
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = []
    const upstream = forward(
      {
        host: origin.hostname,
        port: origin.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(outgoing)
      },
    )
    upstream.on('error', () => outgoing.destroy())
    incoming.on('data', (chunk: Buffer) => {
      chunks.push(chunk)
      upstream.write(chunk)
    })
    incoming.on('end', () => {
      requests.push({
        method: incoming.method ?? '',
        url: incoming.url ?? '',
        headers: incoming.headers,
        body: Buffer.concat(chunks),
      })
      upstream.end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** The parts of a multipart/form-data body, by field name. */
export function multipartParts(request: ProxiedRequest): Map<string, Buffer> {
  const type = String(request.headers['content-type'])
  const boundary = /boundary=(.+)$/.exec(type)?.[1]
  if (boundary === undefined) throw new Error(`not multipart: ${type}`)
  const parts = new Map<string, Buffer>()
  const delimiter = Buffer.from(`--${boundary}`)
  let start = request.body.indexOf(delimiter)
  while (start !== -1) {
    const next = request.body.indexOf(delimiter, start + delimiter.length)
    if (next === -1) break
    const part = request.body.subarray(start + delimiter.length + 2, next - 2)
    const headerEnd = part.indexOf('\r\n\r\n')
    const headers = part.subarray(0, headerEnd).toString('utf8')
    const name = /name="([^"]+)"/.exec(headers)?.[1]
    if (name !== undefined) parts.set(name, part.subarray(headerEnd + 4))
    start = next
  }
  return parts
}
