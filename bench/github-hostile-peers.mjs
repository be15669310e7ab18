#!/usr/bin/env node
// Measures how @packwright/core's GitHub reader fails against hostile peers:
// for each kind of misbehaviour, the time until it fails, the error code, and
// the peak RSS of the reading process (a child process, so the stand-in
// server's own memory is not counted). The stand-in runs on 127.0.0.1.
//
// Usage: node github-hostile-peers.mjs [--scale=<ms>]
//   --scale sets the idle and connect timeouts (request: 5x, deadline: 20x),
//   so the timeout cases finish quickly; the size cases use the defaults.
//   With the default timeouts, the timeout cases take what the printed
//   "bound with defaults" column says.
/* global Buffer, process, console, setInterval, clearInterval, performance */
import { fork } from 'node:child_process'
import { createServer } from 'node:http'
import { createServer as createTcpServer } from 'node:net'
import { fileURLToPath } from 'node:url'

const MiB = 1024 * 1024
const OWNER = 'octo'
const REPO = 'hostile'
const COMMIT = '1'.repeat(40)
const TREE = '2'.repeat(40)
const BLOB = '3'.repeat(40)
const DECLARED = 10

async function runChild({ apiBaseUrl, how, options }) {
  const { createGitHubReader } = await import('@packwright/core')
  const started = performance.now()
  let code = 'none'
  let message = ''
  try {
    const reader = await createGitHubReader({
      owner: OWNER,
      repo: REPO,
      ref: COMMIT,
      apiBaseUrl,
      retryDelayMs: 10,
      ...options,
    })
    if (how === 'readBytes') await reader.readBytes('data.bin')
    if (how === 'open') {
      const stream = reader.open('data.bin')
      await new Promise((resolve, reject) => {
        stream
          .on('data', () => undefined)
          .once('end', resolve)
          .once('error', reject)
      })
    }
    await reader.close()
  } catch (error) {
    code = error.code ?? error.name
    message = error.message
  }
  process.send({
    code,
    message: message.slice(-400),
    ms: Math.round(performance.now() - started),
    peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
  })
}

function json(res, body) {
  const bytes = Buffer.from(JSON.stringify(body))
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': bytes.length })
  res.end(bytes)
}

function flood(res, total, fill) {
  const chunk = Buffer.alloc(MiB, fill)
  let sent = 0
  res.writeHead(200)
  const pump = () => {
    while (sent < total && !res.destroyed) {
      sent += chunk.length
      if (!res.write(chunk)) return void res.once('drain', pump)
    }
    if (!res.destroyed) res.end()
  }
  pump()
}

const scenarios = {
  'never answers (idle, retried)': { commit: () => undefined },
  'trickles 1 byte per idle/4 (request timeout)': {
    commit: (res, scale) => {
      res.writeHead(200)
      const timer = setInterval(() => res.write(' '), Math.max(1, scale / 4))
      res.on('close', () => clearInterval(timer))
    },
  },
  'stalls mid-blob (idle, whole read retried)': {
    how: 'readBytes',
    blob: (res) => {
      res.writeHead(200, { 'content-length': DECLARED })
      res.write('abc')
    },
  },
  'TLS handshake never completes (connect, retried)': { tcp: true },
  'never answers, long idle (deadline)': { commit: () => undefined, longIdle: true },
  '300 MiB for a 10-byte blob, readBytes': {
    how: 'readBytes',
    defaults: true,
    blob: (res) => flood(res, 300 * MiB, 'x'),
  },
  '300 MiB for a 10-byte blob, stream': {
    how: 'open',
    defaults: true,
    blob: (res) => flood(res, 300 * MiB, 'x'),
  },
  '300 MiB tree JSON (64 MiB cap)': {
    defaults: true,
    tree: (res) => flood(res, 300 * MiB, ' '),
  },
}

function defaultBound(name) {
  // Defaults: connect 10 s, idle 30 s, request 300 s, deadline 1800 s, 4 attempts, backoff 1+2+4 s.
  if (name.startsWith('never answers (idle')) return '4 x 30 s + 7 s = 127 s'
  if (name.startsWith('trickles')) return '300 s (not retried)'
  if (name.startsWith('stalls')) return 'up to 4 x 30 s + 7 s'
  if (name.startsWith('TLS')) return '4 x 10 s + 7 s = 47 s'
  if (name.includes('deadline')) return '1800 s'
  return 'same'
}

async function runParent() {
  const scaleArg = process.argv.find((arg) => arg.startsWith('--scale='))
  const scale = scaleArg === undefined ? 200 : Number(scaleArg.slice('--scale='.length))
  const rows = []
  for (const [name, scenario] of Object.entries(scenarios)) {
    const server = scenario.tcp
      ? createTcpServer(() => undefined)
      : createServer((req, res) => {
          const path = req.url ?? ''
          if (path === `/repos/${OWNER}/${REPO}/commits/${COMMIT}`) {
            if (scenario.commit) return scenario.commit(res, scale)
            return json(res, { sha: COMMIT, commit: { tree: { sha: TREE } } })
          }
          if (path === `/repos/${OWNER}/${REPO}/git/trees/${TREE}?recursive=1`) {
            if (scenario.tree) return scenario.tree(res)
            return json(res, {
              sha: TREE,
              truncated: false,
              tree: [{ path: 'data.bin', type: 'blob', mode: '100644', sha: BLOB, size: DECLARED }],
            })
          }
          if (path === `/repos/${OWNER}/${REPO}/git/blobs/${BLOB}` && scenario.blob) {
            return scenario.blob(res)
          }
          res.writeHead(404).end()
        })
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
    const { port } = server.address()
    const timeouts = scenario.defaults
      ? {}
      : {
          connectTimeoutMs: scale,
          // undici checks its connect timeout on a coarse clock (about 0.5 s),
          // so the connect case gets a longer idle timeout to show which fires.
          idleTimeoutMs: scenario.longIdle ? scale * 100 : scenario.tcp ? scale * 4 : scale,
          requestTimeoutMs: scenario.longIdle ? scale * 100 : scale * 5,
          deadlineMs: scale * 20,
        }
    const child = fork(fileURLToPath(import.meta.url), [
      '--child',
      JSON.stringify({
        apiBaseUrl: `${scenario.tcp ? 'https' : 'http'}://127.0.0.1:${port}`,
        how: scenario.how ?? 'open-reader',
        options: { timeouts },
      }),
    ])
    const result = await new Promise((resolve) => child.once('message', resolve))
    child.kill()
    server.closeAllConnections?.()
    server.close()
    rows.push({
      scenario: name,
      ...result,
      boundWithDefaults: scenario.defaults ? '' : defaultBound(name),
    })
  }
  console.log(
    `timeouts in the timeout cases: connect=idle=${scale} ms (connect case: idle ${scale * 4} ms), request=${scale * 5} ms, deadline=${scale * 20} ms`,
  )
  console.table(rows.map(({ message: _message, ...row }) => row))
  for (const row of rows) console.log(`${row.scenario}: ${row.code}: …${row.message.slice(-90)}`)
}

if (process.argv[2] === '--child') {
  await runChild(JSON.parse(process.argv[3]))
} else {
  await runParent()
}
