import { type IncomingMessage, type ServerResponse } from 'node:http'
import { type Server, type Socket, createServer } from 'node:net'
import { type AddressInfo } from 'node:net'
import { type Writable } from 'node:stream'
import { buffer } from 'node:stream/consumers'
import { createGzip } from 'node:zlib'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type GitHubRecording,
  type RecordedResponse,
  type ReplayServer,
  type ReplayServerOptions,
  loadGitHubErrors,
  loadGitHubRecording,
  startGitHubReplayServer,
} from '../../test/helpers/github-replay-server.js'
import { rejection } from '../../test/helpers/rejection.js'
import { type GitHubReaderOptions, createGitHubReader } from './github-reader.js'
import { openSourceReader } from './open-source-reader.js'

const TOKEN = 'fixture-token-that-must-never-leak-0123456789'
const MiB = 1024 * 1024

let recording: GitHubRecording
let errors: Readonly<Record<string, RecordedResponse>>
const cleanups: Array<() => Promise<void>> = []

beforeAll(async () => {
  recording = await loadGitHubRecording('tiny-spicepod')
  errors = await loadGitHubErrors()
})

afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()))
})

async function serve(options: Partial<ReplayServerOptions> = {}): Promise<ReplayServer> {
  const server = await startGitHubReplayServer({ exchanges: recording.exchanges, ...options })
  cleanups.push(() => server.close())
  return server
}

function readerOptions(
  server: { url: string },
  extra: Partial<GitHubReaderOptions> = {},
): GitHubReaderOptions {
  return {
    owner: recording.owner,
    repo: recording.repo,
    ref: recording.commit,
    apiBaseUrl: server.url,
    retryDelayMs: 1,
    ...extra,
  }
}

const repoPath = (): string => `/repos/${recording.owner}/${recording.repo}`
const commitPath = (): string => `${repoPath()}/commits/${recording.commit}`
const treePath = (): string => recording.exchanges[1]?.request.path as string

function blobPath(path: string): string {
  const tree = recording.exchanges[1]?.response.body as { tree: { path: string; sha: string }[] }
  return `${repoPath()}/git/blobs/${tree.tree.find((entry) => entry.path === path)?.sha}`
}

/** A handler that reads the request and never answers (the socket is closed by the test). */
const neverAnswer = (): void => undefined

/** Sends headers, then one byte every `everyMs` until the client goes away. */
function trickle(everyMs: number) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' })
    res.write('{')
    const timer = setInterval(() => res.write(' '), everyMs)
    res.on('close', () => clearInterval(timer))
  }
}

/** Announces `declared` bytes, sends `sent` of them, then stalls. */
function stallAfter(declared: number, sent: number) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-length': String(declared) })
    res.write(Buffer.alloc(sent, 0x61))
  }
}

/** Writes `total` bytes of `fill` into `out`, honouring backpressure, counting what it wrote. */
function pump(out: Writable, total: number, fill: string, sent: { bytes: number }): void {
  const chunk = Buffer.alloc(MiB, fill)
  const next = (): void => {
    while (sent.bytes < total && !out.destroyed) {
      sent.bytes += chunk.length
      if (!out.write(chunk)) {
        out.once('drain', next)
        return
      }
    }
    if (!out.destroyed) out.end()
  }
  next()
}

/** Streams `total` bytes of `fill` (chunked, no length announced). */
function flood(total: number, fill: string, sent: { bytes: number }) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/octet-stream' })
    pump(res, total, fill, sent)
  }
}

/** A TCP server that accepts connections and never says a word: a TLS handshake to it never ends. */
async function startSilentTcpServer(): Promise<{ url: string; connections: () => number }> {
  const sockets: Socket[] = []
  const server: Server = createServer((socket) => sockets.push(socket))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        sockets.forEach((socket) => socket.destroy())
        server.close(() => resolve())
      }),
  )
  const { port } = server.address() as AddressInfo
  return { url: `https://127.0.0.1:${port}`, connections: () => sockets.length }
}

/** Samples the process's RSS every few ms while `run` goes, and returns the peak growth. */
async function peakRssGrowth(run: () => Promise<unknown>): Promise<number> {
  const before = process.memoryUsage.rss()
  let peak = before
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss())
  }, 2)
  try {
    await run()
  } finally {
    clearInterval(timer)
  }
  return Math.max(peak, process.memoryUsage.rss()) - before
}

describe('createGitHubReader against hostile peers', () => {
  it('gives up on a server that never answers with GITHUB_TIMEOUT (idle), after retrying', async () => {
    const server = await serve({ token: TOKEN, handlers: { [commitPath()]: neverAnswer } })
    const started = performance.now()
    const error = await rejection(
      createGitHubReader(
        readerOptions(server, { token: TOKEN, retries: 1, timeouts: { idleTimeoutMs: 100 } }),
      ),
    )
    expect(error.code).toBe('GITHUB_TIMEOUT')
    expect(error.details).toMatchObject({ timeout: 'idle', timeoutMs: 100, attempts: 2 })
    expect(error.message).toContain(commitPath())
    expect(error.message).toMatch(/no byte arrived for 100 ms \(idle timeout\), after 2 attempts/)
    expect(error.hint).toContain('idleTimeoutMs')
    expect(`${error.message}${JSON.stringify(error)}${error.hint}`).not.toContain(TOKEN)
    expect(server.requests).toHaveLength(2)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('stops a body that trickles a byte at a time with the request timeout, without retrying', async () => {
    const server = await serve({ handlers: { [commitPath()]: trickle(20) } })
    const error = await rejection(
      createGitHubReader(
        readerOptions(server, { timeouts: { idleTimeoutMs: 200, requestTimeoutMs: 300 } }),
      ),
    )
    expect(error.code).toBe('GITHUB_TIMEOUT')
    expect(error.details).toMatchObject({ timeout: 'request', timeoutMs: 300, attempts: 1 })
    expect(server.requests).toHaveLength(1)
  })

  it('fails a blob that stalls midway with GITHUB_TIMEOUT (idle): a whole read retries, a stream fails', async () => {
    const path = 'data/trips.csv'
    const server = await serve({ handlers: { [blobPath(path)]: stallAfter(36, 5) } })
    // 400 ms, not less: a stream retries until the answer's headers arrive, and
    // on a loaded machine a shorter idle timeout can pass before they are read,
    // which makes a fourth request.
    const reader = await createGitHubReader(
      readerOptions(server, { retries: 1, timeouts: { idleTimeoutMs: 400 } }),
    )
    const whole = await rejection(reader.readBytes(path))
    expect(whole.code).toBe('GITHUB_TIMEOUT')
    expect(whole.details).toMatchObject({ path, timeout: 'idle', attempts: 2 })
    expect(whole.message).toContain('"data/trips.csv"')
    const streamed = await rejection(buffer(reader.open(path)))
    expect(streamed.code).toBe('GITHUB_TIMEOUT')
    expect(streamed.details).toMatchObject({ path, timeout: 'idle' })
    expect(server.requests.filter((request) => request.path === blobPath(path))).toHaveLength(3)
    await reader.close()
  })

  it('gives up on a connection that never completes with GITHUB_TIMEOUT (connect), after retrying', async () => {
    const silent = await startSilentTcpServer()
    const started = performance.now()
    const error = await rejection(
      createGitHubReader(
        readerOptions(silent, {
          retries: 1,
          timeouts: { connectTimeoutMs: 100, idleTimeoutMs: 5000 },
        }),
      ),
    )
    expect(error.code).toBe('GITHUB_TIMEOUT')
    expect(error.details).toMatchObject({ timeout: 'connect', timeoutMs: 100, attempts: 2 })
    expect(error.message).toMatch(/not established within 100 ms \(connect timeout\)/)
    expect(silent.connections()).toBe(2)
    expect(performance.now() - started).toBeLessThan(5000)
  })

  it('ends the whole read at its deadline, in a request or between retries, without retrying', async () => {
    const stalled = await serve({ handlers: { [commitPath()]: neverAnswer } })
    const inRequest = await rejection(
      createGitHubReader(
        readerOptions(stalled, { retries: 5, timeouts: { deadlineMs: 150, idleTimeoutMs: 5000 } }),
      ),
    )
    expect(inRequest.code).toBe('GITHUB_TIMEOUT')
    expect(inRequest.details).toMatchObject({ timeout: 'deadline', timeoutMs: 150 })
    expect(stalled.requests).toHaveLength(1)

    const failing = await serve({
      overrides: { [commitPath()]: Array(3).fill(errors['server-error']) as RecordedResponse[] },
    })
    const started = performance.now()
    const inBackoff = await rejection(
      createGitHubReader(
        readerOptions(failing, { retryDelayMs: 10_000, timeouts: { deadlineMs: 150 } }),
      ),
    )
    expect(inBackoff.code).toBe('GITHUB_TIMEOUT')
    expect(inBackoff.details).toMatchObject({ timeout: 'deadline' })
    expect(failing.requests).toHaveLength(1)
    expect(performance.now() - started).toBeLessThan(2000)
  })

  it('cancels a stalled request at once when the caller aborts', async () => {
    const server = await serve({ handlers: { [commitPath()]: neverAnswer } })
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 50)
    const started = performance.now()
    const error = await rejection(
      createGitHubReader(readerOptions(server, { signal: controller.signal })),
    )
    expect(error.code).toBe('ABORTED')
    expect(performance.now() - started).toBeLessThan(1000)
  })

  it('refuses a blob served 1000x larger than the tree lists while it streams, in bounded memory', async () => {
    const path = 'data/trips.csv'
    const sent = { bytes: 0 }
    const server = await serve({ handlers: { [blobPath(path)]: flood(300 * MiB, 'x', sent) } })
    const reader = await createGitHubReader(readerOptions(server))
    let whole: Awaited<ReturnType<typeof rejection>> | undefined
    let streamed: Awaited<ReturnType<typeof rejection>> | undefined
    const growth = await peakRssGrowth(async () => {
      whole = await rejection(reader.readBytes(path))
      streamed = await rejection(buffer(reader.open(path)))
    })
    for (const error of [whole, streamed]) {
      expect(error?.code).toBe('GITHUB_SIZE_MISMATCH')
      expect(error?.details).toMatchObject({ path, declaredBytes: 36 })
      expect(error?.details.receivedBytes as number).toBeGreaterThan(36)
      expect(error?.details.receivedBytes as number).toBeLessThan(8 * MiB)
      expect(error?.message).toMatch(/more than the 36 bytes the tree lists for "data\/trips.csv"/)
    }
    // Both downloads stopped long before the 300 MiB were sent, and memory stayed small.
    expect(sent.bytes).toBeLessThan(100 * MiB)
    expect(growth).toBeLessThan(64 * MiB)
    await reader.close()
  })

  it('refuses a gzip bomb by the bytes it unpacks to, not the bytes on the wire', async () => {
    const path = 'data/trips.csv'
    const sent = { bytes: 0 }
    const server = await serve({
      handlers: {
        [blobPath(path)]: (_req, res) => {
          res.writeHead(200, { 'content-encoding': 'gzip' })
          const gzip = createGzip()
          gzip.pipe(res)
          res.on('close', () => gzip.destroy())
          pump(gzip, 300 * MiB, '\0', sent)
        },
      },
    })
    const reader = await createGitHubReader(readerOptions(server, { retries: 0 }))
    const error = await rejection(reader.readBytes(path))
    expect(error.code).toBe('GITHUB_SIZE_MISMATCH')
    expect(error.details).toMatchObject({ path, declaredBytes: 36 })
    expect(sent.bytes).toBeLessThan(100 * MiB)
    await reader.close()
  })

  it('refuses a blob whose announced length is too large without downloading it', async () => {
    const path = 'data/trips.csv'
    const server = await serve({
      handlers: {
        [blobPath(path)]: (_req, res) => {
          res.writeHead(200, { 'content-length': String(300 * MiB) })
          res.write('x')
        },
      },
    })
    const reader = await createGitHubReader(readerOptions(server, { retries: 0 }))
    const error = await rejection(reader.readBytes(path))
    expect(error.code).toBe('GITHUB_SIZE_MISMATCH')
    expect(error.details).toMatchObject({ path, declaredBytes: 36, announcedBytes: 300 * MiB })
    await reader.close()
  })

  it('refuses a tree answer larger than maxJsonBytes while it streams', async () => {
    const sent = { bytes: 0 }
    const server = await serve({ handlers: { [treePath()]: flood(300 * MiB, ' ', sent) } })
    const error = await rejection(createGitHubReader(readerOptions(server, { maxJsonBytes: 4096 })))
    expect(error.code).toBe('GITHUB_RESPONSE_TOO_LARGE')
    expect(error.details).toMatchObject({ limitBytes: 4096 })
    expect(error.message).toContain('the tree of')
    expect(sent.bytes).toBeLessThan(100 * MiB)
  })

  it('retries a body cut short by a dropped connection, and names the file when it keeps breaking', async () => {
    const path = 'data/trips.csv'
    const server = await serve({
      handlers: {
        [blobPath(path)]: (req, res) => {
          res.writeHead(200, { 'content-length': '36' })
          res.write('trip_id', () => req.socket.destroy())
        },
      },
    })
    const reader = await createGitHubReader(readerOptions(server, { retries: 1 }))
    const error = await rejection(reader.readBytes(path))
    expect(error.code).toBe('GITHUB_REQUEST_FAILED')
    expect(error.message).toMatch(/download of "data\/trips.csv" .* broke off .* after 2 attempts/)
    expect(server.requests.filter((request) => request.path === blobPath(path))).toHaveLength(2)
    await reader.close()
  })

  it('takes the timeouts given to openSourceReader', async () => {
    const server = await serve({ handlers: { [commitPath()]: neverAnswer } })
    const error = await rejection(
      openSourceReader(
        {
          kind: 'github',
          owner: recording.owner,
          repo: recording.repo,
          ref: recording.commit,
          path: '',
        },
        { github: { apiBaseUrl: server.url, timeouts: { idleTimeoutMs: 50, deadlineMs: 300 } } },
      ),
    )
    expect(error.code).toBe('GITHUB_TIMEOUT')
    expect(error.details).toMatchObject({ timeout: 'deadline', timeoutMs: 300 })
    expect(server.requests.length).toBeGreaterThanOrEqual(1)
  })

  it('refuses timeouts that are not positive numbers', async () => {
    for (const timeouts of [{ idleTimeoutMs: 0 }, { deadlineMs: -1 }, { connectTimeoutMs: NaN }]) {
      const error = await rejection(
        createGitHubReader({ owner: 'o', repo: 'r', ref: 'abc1234', timeouts }),
      )
      expect(error.code).toBe('INVALID_ARGUMENT')
      expect(error.message).toMatch(/Invalid GitHub timeout/)
    }
  })
})
