#!/usr/bin/env node
// Re-push benchmark: pushes a generated tree of 30,000 small source files
// (about 110 MB) to a `packwright serve` process on 127.0.0.1, then pushes
// the unchanged tree again. Goals: the re-push sends under 1 % of the
// package's bytes and takes at most 0.25x the first push's time.
//
// Run after a build: `pnpm bench:push [--files N] [--keep]`.
/* global console, performance, process */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generateSmallTree } from './generate-trees.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, '..', 'packages', 'cli', 'dist', 'main.js')
const token = 'bench-push-token'

const { values } = parseArgs({
  options: { files: { type: 'string', default: '30000' }, keep: { type: 'boolean' } },
})
const files = Number(values.files)

/** Starts `packwright serve` on a free loopback port; resolves once it listens. */
function startServe(dataFolder) {
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--data', dataFolder, '--port', '0', '--host', '127.0.0.1'],
    { env: { ...process.env, PACKWRIGHT_TOKEN: token }, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  let stderr = ''
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)))
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stderr)?.[1]
      if (url !== undefined) resolve({ child, url })
    })
  })
}

/** One `packwright push --json` as a user runs it; answers its result and wall time. */
function push(tree, url) {
  const started = performance.now()
  const child = spawn(
    process.execPath,
    [cli, 'push', tree, '--server', url, '--app', 'bench', '--json'],
    { env: { ...process.env, PACKWRIGHT_TOKEN: token }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let stdout = ''
  child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk))
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`push exited with ${code}`))
      resolve({ ...JSON.parse(stdout), wallMs: performance.now() - started })
    })
  })
}

const mib = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`

const work = await mkdtemp(join(tmpdir(), 'packwright-bench-push-'))
const tree = join(work, 'tree')
let server
try {
  process.stdout.write(`generating ${files} files… `)
  const generated = await generateSmallTree(tree, { files })
  console.log(`${mib(generated.bytes)}`)
  server = await startServe(join(work, 'data'))

  const first = await push(tree, server.url)
  const second = await push(tree, server.url)
  const sentShare = second.bytesSent / second.packageBytes
  const timeRatio = second.wallMs / first.wallMs

  console.log(`package: ${first.files} files, ${mib(first.packageBytes)}, sha256 ${first.sha256}`)
  console.log(
    `first push:  ${seconds(first.wallMs)}, sent ${mib(first.bytesSent)} of bits ` +
      `(${first.filesSent} files), ${mib(first.requestBytes)} of request bodies`,
  )
  console.log(
    `second push: ${seconds(second.wallMs)}, sent ${second.bytesSent} bytes of bits ` +
      `(${second.filesSent} files; ${second.filesMatched} matched), ` +
      `${mib(second.requestBytes)} of request bodies (resource lists)`,
  )
  const ok = (pass) => (pass ? 'ok' : 'MISSED')
  console.log(
    `re-push sent ${(sentShare * 100).toFixed(3)} % of the package's bytes (goal < 1 %): ${ok(sentShare < 0.01)}`,
  )
  console.log(
    `re-push took ${timeRatio.toFixed(3)}x the first push's time (goal <= 0.25x): ${ok(timeRatio <= 0.25)}`,
  )
  if (second.sha256 !== first.sha256) throw new Error('the two pushes gave different packages')
} finally {
  server?.child.kill('SIGTERM')
  if (values.keep === true) console.log(`kept ${work}`)
  else await rm(work, { recursive: true, force: true })
}
