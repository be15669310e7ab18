import { type IncomingMessage, type ServerResponse, createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One request as the stand-in received it (the body whole, or as far as it came). */
export interface ReceivedRequest {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: Buffer
}

/**
 * How the stand-in answers one request: it gets the request with its body
 * read (`readBody: false` leaves the body unread, to cut a request short).
 */
export type StandInHandler = ((
  request: IncomingMessage,
  response: ServerResponse,
  body: Buffer,
) => void) & {
  /** Called as soon as the request starts, before its body is read. */
  readonly early?: boolean
}

export interface StandInServer {
  readonly url: string
  readonly received: ReceivedRequest[]
  close(): Promise<void>
}

/**
 * A tiny HTTP server on 127.0.0.1 that answers the n-th request with the
 * n-th handler (the last one repeats), recording every request: the faults
 * a real server rarely shows on demand (dropped connections, 429, 503).
 */
export async function startStandInServer(handlers: StandInHandler[]): Promise<StandInServer> {
  const received: ReceivedRequest[] = []
  const server = createServer((request, response) => {
    const index = received.length
    const chunks: Buffer[] = []
    const record: ReceivedRequest = {
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      get body() {
        return Buffer.concat(chunks)
      },
    }
    received.push(record)
    const handler = handlers[Math.min(index, handlers.length - 1)]
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('error', () => undefined)
    if (handler?.early === true) handler(request, response, Buffer.alloc(0))
    else request.on('end', () => handler?.(request, response, Buffer.concat(chunks)))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

/** Answers JSON with a status and headers. */
export function answerJson(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): StandInHandler {
  return (_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json', ...headers })
    response.end(JSON.stringify(value))
  }
}

/** Destroys the connection without answering. */
export const dropConnection: StandInHandler = (request) => {
  request.socket.destroy()
}

/** Reads `bytes` of the body, then destroys the connection: an upload cut short. */
export function dropAfterBytes(bytes: number): StandInHandler {
  const handler = (request: IncomingMessage) => {
    let seen = 0
    request.on('data', (chunk: Buffer) => {
      seen += chunk.length
      if (seen >= bytes) request.socket.destroy()
    })
  }
  return Object.assign(handler, { early: true })
}
