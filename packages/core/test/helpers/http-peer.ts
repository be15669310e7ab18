import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http'
import { type AddressInfo, type Socket } from 'node:net'

/** Answers a request; `count` is how many requests came so far (1 for the first). */
export type HttpPeerHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  count: number,
) => void

export interface HttpPeer {
  readonly url: string
  readonly server: Server
  /** The path of every request, in the order they came. */
  readonly paths: string[]
  /** The connections it accepted. */
  readonly sockets: Socket[]
  /** Drops every connection and stops listening. */
  close(): Promise<void>
}

/** An HTTP server on 127.0.0.1, on a port of its own, answering with `handler`. */
export async function startHttpPeer(handler: HttpPeerHandler): Promise<HttpPeer> {
  const paths: string[] = []
  const sockets: Socket[] = []
  const server = createServer((request, response) => {
    paths.push(request.url ?? '')
    handler(request, response, paths.length)
  })
  server.on('connection', (socket: Socket) => sockets.push(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    paths,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
