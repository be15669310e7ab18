import { setTimeout as sleep } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { rejection } from '../../test/helpers/rejection.js'
import {
  type GitHubBodyContext,
  type GitHubBodySize,
  checkedBodyChunks,
  readBodyPrefix,
} from './github-response-body.js'
import { AttemptClock } from './github-timeouts.js'

const clock = () => new AttemptClock(Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY)

/** A response whose body arrives in the given chunks. */
function answer(chunks: readonly string[] | null, headers: Record<string, string> = {}): Response {
  const body =
    chunks === null
      ? null
      : new ReadableStream<Uint8Array>({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk))
            controller.close()
          },
        })
  return new Response(body, { headers })
}

function context(size: GitHubBodySize, path?: string): GitHubBodyContext {
  return { what: 'GET /x', subject: '"a.txt"', size, ...(path === undefined ? {} : { path }) }
}

async function collect(response: Response, size: GitHubBodySize, path?: string): Promise<string> {
  const parts: Buffer[] = []
  for await (const chunk of checkedBodyChunks(response, clock(), context(size, path))) {
    parts.push(chunk)
  }
  return Buffer.concat(parts).toString()
}

describe('checkedBodyChunks', () => {
  it('hands on a body of exactly the size, or up to the limit', async () => {
    expect(await collect(answer(['ab', 'cd']), { exactBytes: 4 })).toBe('abcd')
    expect(await collect(answer(['ab', 'cd']), { maxBytes: 4 })).toBe('abcd')
    expect(await collect(answer(['ab']), { maxBytes: 4 })).toBe('ab')
  })

  it('refuses a body announced larger than the limit before reading it', async () => {
    const error = await rejection(
      collect(answer(['abcdef'], { 'content-length': '6' }), { maxBytes: 5 }, 'a.txt'),
    )
    expect(error.code).toBe('GITHUB_RESPONSE_TOO_LARGE')
    expect(error.message).toBe(
      `GitHub's answer for "a.txt" is larger than the limit of 5 bytes: the answer announces 6 bytes (Content-Length), so it was not downloaded (GET /x).`,
    )
    expect(error.hint).toBe(
      'A repository this large is better packaged from a local checkout (a `git:{repoDir}#{sha}` source); the limit is the `maxJsonBytes` option.',
    )
    expect(error.details).toEqual({
      request: 'GET /x',
      path: 'a.txt',
      announcedBytes: 6,
      limitBytes: 5,
    })
  })

  it('believes an identity Content-Length, and not one of a compressed body', async () => {
    const identity = answer(['abcdef'], { 'content-length': '6', 'content-encoding': ' Identity ' })
    expect((await rejection(collect(identity, { maxBytes: 5 }))).message).toContain('announces 6')
    const gzip = answer(['abc'], { 'content-length': '600', 'content-encoding': 'gzip' })
    expect(await collect(gzip, { maxBytes: 5 })).toBe('abc')
    const odd = answer(['abc'], { 'content-length': '600x' })
    expect(await collect(odd, { maxBytes: 5 })).toBe('abc')
  })

  it('stops a body that grows past the limit, without handing on the extra chunk', async () => {
    const handed: string[] = []
    const error = await rejection(
      (async () => {
        for await (const chunk of checkedBodyChunks(
          answer(['abc', 'def']),
          clock(),
          context({ maxBytes: 5 }),
        )) {
          handed.push(chunk.toString())
        }
      })(),
    )
    expect(handed).toEqual(['abc'])
    expect(error.message).toBe(
      `GitHub's answer for "a.txt" is larger than the limit of 5 bytes: 6 bytes had arrived when the download was stopped (GET /x).`,
    )
    // No `path` key when no file is read.
    expect(error.details).toStrictEqual({ request: 'GET /x', receivedBytes: 6, limitBytes: 5 })
  })

  it('refuses a blob longer than its tree says', async () => {
    const error = await rejection(collect(answer(['abc', 'def']), { exactBytes: 5 }, 'a.txt'))
    expect(error.code).toBe('GITHUB_SIZE_MISMATCH')
    expect(error.message).toBe(
      'GitHub sent more than the 5 bytes the tree lists for "a.txt": 6 bytes had arrived when the download was stopped (GET /x).',
    )
    expect(error.hint).toBe(
      'The server is broken or not GitHub; nothing of this file was packaged.',
    )
    expect(error.details).toEqual({
      request: 'GET /x',
      path: 'a.txt',
      receivedBytes: 6,
      declaredBytes: 5,
    })
  })

  it('refuses a blob shorter than its tree says, and an empty answer for a non-empty blob', async () => {
    const short = await rejection(collect(answer(['abc']), { exactBytes: 5 }))
    expect(short.code).toBe('GITHUB_SIZE_MISMATCH')
    expect(short.message).toBe('GitHub sent 3 bytes for "a.txt", but the tree lists 5 (GET /x).')
    const none = await rejection(collect(answer(null), { exactBytes: 5 }))
    expect(none.message).toBe('GitHub sent 0 bytes for "a.txt", but the tree lists 5 (GET /x).')
  })

  it('accepts no body for an empty blob or a size limit', async () => {
    expect(await collect(answer(null), { exactBytes: 0 })).toBe('')
    expect(await collect(answer(null), { maxBytes: 5 })).toBe('')
  })
})

describe('readBodyPrefix', () => {
  it('reads up to the limit and cuts there', async () => {
    expect(await readBodyPrefix(answer(['abc', 'def', 'ghi']), clock(), 4)).toBe('abcd')
    expect(await readBodyPrefix(answer(['abc', 'def']), clock(), 6)).toBe('abcdef')
    expect(await readBodyPrefix(answer(['ab']), clock(), 6)).toBe('ab')
    expect(await readBodyPrefix(answer(null), clock(), 6)).toBe('')
  })

  it('stops reading once the limit is reached', async () => {
    let pulls = 0
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls++
        controller.enqueue(new TextEncoder().encode('abc'))
      },
    })
    expect(await readBodyPrefix(new Response(body), clock(), 6)).toBe('abcabc')
    expect(pulls).toBeLessThan(3)
  })
})

/** A body that serves `chunks` one per pull, `delayMs` apart, and records whether it was cancelled. */
function slowBody(chunks: readonly string[], delayMs: number) {
  const state = { pulls: 0, cancelled: false }
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const chunk = chunks[state.pulls++]
      await sleep(delayMs)
      if (chunk === undefined) controller.close()
      else controller.enqueue(new TextEncoder().encode(chunk))
    },
    cancel() {
      state.cancelled = true
    },
  })
  return { body, state }
}

describe('checkedBodyChunks and the attempt clock', () => {
  it('accepts a body that announces exactly the limit', async () => {
    expect(await collect(answer(['abcde'], { 'content-length': '5' }), { maxBytes: 5 })).toBe(
      'abcde',
    )
    expect(await collect(answer(['abcde'], { 'content-length': ' 5 ' }), { exactBytes: 5 })).toBe(
      'abcde',
    )
  })

  it('believes only a Content-Length of plain digits', async () => {
    const ten = answer(['abc'], { 'content-length': '10' })
    expect((await rejection(collect(ten, { maxBytes: 5 }))).message).toContain('announces 10 bytes')
    for (const length of ['1e3', '0x10', '+10', '10.0']) {
      expect(await collect(answer(['abc'], { 'content-length': length }), { maxBytes: 5 })).toBe(
        'abc',
      )
    }
  })

  it('cancels a body announced too large, and one the caller stops reading', async () => {
    const tooLarge = slowBody(['abcdef'], 0)
    const response = new Response(tooLarge.body, { headers: { 'content-length': '6' } })
    await rejection(collect(response, { maxBytes: 5 }))
    expect(tooLarge.state.cancelled).toBe(true)
    const dropped = slowBody(['ab', 'cd', 'ef'], 0)
    for await (const chunk of checkedBodyChunks(
      new Response(dropped.body),
      clock(),
      context({ maxBytes: 10 }),
    )) {
      expect(chunk.toString()).toBe('ab')
      break
    }
    expect(dropped.state.cancelled).toBe(true)
    const whole = slowBody(['ab'], 0)
    expect(await collect(new Response(whole.body), { maxBytes: 10 })).toBe('ab')
    expect(whole.state.cancelled).toBe(false)
  })

  it('runs each wait for a chunk on the idle clock, and stops the clock once a chunk is there', async () => {
    const stalled = new AttemptClock(40, Number.POSITIVE_INFINITY)
    const slow = slowBody(['ab'], 150)
    const pending = checkedBodyChunks(new Response(slow.body), stalled, context({ maxBytes: 10 }))
    await pending.next()
    expect(stalled.signal.aborted).toBe(true)
    expect(stalled.signal.reason).toMatchObject({ kind: 'idle', timeoutMs: 40 })
    stalled.dispose()

    const quick = new AttemptClock(40, Number.POSITIVE_INFINITY)
    const parts: Buffer[] = []
    for await (const chunk of checkedBodyChunks(
      answer(['ab', 'cd']),
      quick,
      context({ maxBytes: 10 }),
    )) {
      parts.push(chunk)
    }
    await sleep(120)
    expect(Buffer.concat(parts).toString()).toBe('abcd')
    expect(quick.signal.aborted).toBe(false)
    quick.dispose()
  })
})

describe('readBodyPrefix and the attempt clock', () => {
  it('runs each wait on the idle clock, stops it after, and cancels the rest of the body', async () => {
    const stalled = new AttemptClock(40, Number.POSITIVE_INFINITY)
    expect(await readBodyPrefix(new Response(slowBody(['ab'], 150).body), stalled, 10)).toBe('ab')
    expect(stalled.signal.aborted).toBe(true)
    stalled.dispose()

    const quick = new AttemptClock(40, Number.POSITIVE_INFINITY)
    const rest = slowBody(['abc', 'def', 'ghi'], 0)
    expect(await readBodyPrefix(new Response(rest.body), quick, 3)).toBe('abc')
    await sleep(120)
    expect(quick.signal.aborted).toBe(false)
    expect(rest.state.cancelled).toBe(true)
    quick.dispose()
  })
})
