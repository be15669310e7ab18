#!/usr/bin/env node
// `pnpm load`: concurrent pushes (through @packwright/client, as
// `packwright push` makes them) of different generated trees against one
// `packwright serve` process. Every push must end READY with exactly the
// bytes core's generatePackage makes of the same tree (checked by download);
// prints throughput, p50/p95 push time and the server's peak RSS. Bounded:
// it gives up after --timeout seconds. Run after building core, server, client and cli:
//   node packages/server/bench/load.mjs [--pushes 20] [--files 400] [--rounds 2] [--timeout 600]
// Each tree shares a third of its files with every other tree (the same
// vendored library), so pushes race to put the same blobs into the pool. A
// second round changes one file per tree and pushes all again: matching finds
// the rest, and the server rebuilds the packages from its pool.
import { Buffer } from 'node:buffer'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createCipheriv } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { clearTimeout, setTimeout } from 'node:timers'
import { URL, fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { Worker } from 'node:worker_threads'
import { generatePackage } from '@packwright/core'
// The client is not a dependency of the server package: it is taken from its build.
import { createPackwrightClient, pushPackage } from '../../client/dist/index.js'

const { values } = parseArgs({
  options: {
    pushes: { type: 'string', default: '20' },
    files: { type: 'string', default: '400' },
    timeout: { type: 'string', default: '600' },
    rounds: { type: 'string', default: '2' },
  },
})
const pushes = Number(values.pushes)
const filesPerTree = Number(values.files)
const timeoutMs = Number(values.timeout) * 1000
const rounds = Number(values.rounds)
const mib = (bytes) => (bytes / 2 ** 20).toFixed(1)
const TOKEN = 'load-token'
const cli = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url))
if (!existsSync(cli)) {
  process.stderr.write(`load: ${cli} is missing; build core, server and cli first (pnpm build)\n`)
  process.exit(1)
}

/** Seeded bytes: half incompressible, half text, so deflate works as on real trees. */
function contentFor(seed, size) {
  const key = Buffer.alloc(16)
  key.writeUInt32LE(seed >>> 0, 0)
  const noise = createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size))
  if (seed % 2 === 0) return noise
  const words = noise.toString('base64').replace(/[+/=]/g, ' ')
  return Buffer.from(words.slice(0, size))
}

/** Sizes from 40 B to 256 KiB, most small, as in a source tree. */
function sizeFor(seed) {
  const roll = (seed * 2654435761) % 1000
  if (roll < 600) return 40 + ((roll * 7) % 4000)
  if (roll < 950) return 4096 + roll * 37
  return 65536 + roll * 190
}

/** Tree `index`: a third of its files are the shared vendored library, the rest its own. */
async function writeTree(root, index) {
  const shared = Math.floor(filesPerTree / 3)
  for (let file = 0; file < filesPerTree; file += 1) {
    const own = file >= shared
    const seed = own ? 1_000_000 * (index + 1) + file : file
    const path = own
      ? `src/module-${file % 17}/file-${file}.js`
      : `vendor/lib-${file % 5}/part-${file}.js`
    await mkdir(dirname(join(root, path)), { recursive: true })
    await writeFile(join(root, path), contentFor(seed, sizeFor(seed)))
  }
  await writeFile(join(root, 'package.json'), `{"name":"load-${index}","version":"1.0.${index}"}\n`)
}

/**
 * One push through @packwright/client as `packwright push` makes it (app,
 * package, matching, a zip of the unmatched files only, upload, wait), then
 * a download compared with what generatePackage made of the same tree.
 */
async function push(client, work, tree, index) {
  const result = await pushPackage({
    client,
    source: tree.root,
    appName: `load-${index}`,
    workFolder: work,
  })
  if (result.state !== 'READY') throw new Error(`push ${index} ended ${result.state}`)
  const downloaded = await client.downloadPackage(result.guid, join(work, `download-${index}.zip`))
  if (result.sha256 !== tree.sha256 || downloaded.sha256 !== tree.sha256) {
    throw new Error(
      `push ${index}: expected ${tree.sha256}, server says ${result.sha256}, served ${downloaded.sha256}`,
    )
  }
  await rm(downloaded.path, { force: true })
  if (process.env.LOAD_PHASES) {
    process.stderr.write(`push ${index}: ${result.durationMs} ms, sent ${result.bytesSent}\n`)
  }
  return {
    elapsed: result.durationMs,
    bitsBytes: result.bytesSent,
    matchedFiles: result.filesMatched,
  }
}

function percentile(sorted, fraction) {
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]
}

const work = await mkdtemp(join(tmpdir(), 'packwright-load-'))
let server
const deadline = setTimeout(() => {
  process.stderr.write(`load: gave up after ${timeoutMs / 1000} s\n`)
  server?.kill('SIGKILL')
  process.exit(1)
}, timeoutMs)
try {
  process.stderr.write(`load: generating ${pushes} trees of ${filesPerTree} files…\n`)
  const trees = []
  for (let index = 0; index < pushes; index += 1) {
    const root = join(work, `tree-${index}`)
    await writeTree(root, index)
    const generated = await generatePackage({
      source: root,
      outFile: join(work, `tree-${index}.zip`),
    })
    trees.push({
      root,
      entries: [...generated.entries],
      sha256: generated.sha256,
      size: generated.size,
    })
  }

  // LOAD_SERVER_NODE_ARGS (e.g. --cpu-prof) are passed to the server's node only.
  const nodeArgs = (process.env.LOAD_SERVER_NODE_ARGS ?? '').split(' ').filter(Boolean)
  server = spawn(
    process.execPath,
    [...nodeArgs, cli, 'serve', '--data', join(work, 'data'), '--port', '0'],
    { env: { ...process.env, PACKWRIGHT_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'pipe'] },
  )
  const base = await new Promise((resolve, reject) => {
    let text = ''
    server.on('exit', (code) => reject(new Error(`serve exited ${code}: ${text}`)))
    server.stderr.setEncoding('utf8').on('data', (chunk) => {
      text += chunk
      const url = /listening on (http:\/\/\S+)/.exec(text)?.[1]
      if (url !== undefined) resolve(url)
    })
  })
  const peakRssMiB = async () => {
    const status = await readFile(`/proc/${server.pid}/status`, 'utf8')
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024
  }

  process.stderr.write(`load: ${pushes} concurrent pushes against ${base}…\n`)
  /** One round: every tree pushed at once; prints its numbers, answers how many failed. */
  async function pushRound(title) {
    // While the pushes run, a small GET every 100 ms from a thread of its own
    // (the pushes keep this thread busy): how long the server makes it wait.
    const probe = new Worker(
      `const { parentPort, workerData } = require('node:worker_threads')
      const times = []
      let probing = true
      parentPort.on('message', () => (probing = false))
      ;(async () => {
        while (probing) {
          const sent = performance.now()
          const response = await fetch(workerData.url, { headers: workerData.headers })
          await response.arrayBuffer()
          times.push(performance.now() - sent)
          await new Promise((resolve) => setTimeout(resolve, 100))
        }
        parentPort.postMessage(times)
      })()`,
      {
        eval: true,
        workerData: {
          url: `${base}/v3/packages?per_page=1`,
          headers: { authorization: `bearer ${TOKEN}` },
        },
      },
    )
    const probeTimesReady = new Promise((resolve) => probe.once('message', resolve))
    const started = performance.now()
    const results = await Promise.allSettled(
      trees.map((tree, index) => push(client, work, tree, index)),
    )
    const wall = performance.now() - started
    probe.postMessage('stop')
    const probeTimes = await probeTimesReady
    await probe.terminate()
    probeTimes.sort((a, b) => a - b)
    const failures = results.filter((result) => result.status === 'rejected')
    const done = results
      .filter((result) => result.status === 'fulfilled')
      .map((result) => result.value)
    const times = done.map((result) => result.elapsed).sort((a, b) => a - b)
    const packageBytes = trees.reduce((sum, tree) => sum + tree.size, 0)
    const sentBytes = done.reduce((sum, result) => sum + result.bitsBytes, 0)
    const matched = done.reduce((sum, result) => sum + result.matchedFiles, 0)
    process.stdout.write(
      `${title}: ${pushes} concurrent pushes of ${filesPerTree + 1}-file trees (${mib(packageBytes)} MiB of packages)\n` +
        `  READY with the bytes generatePackage makes: ${done.length}/${pushes}\n` +
        `  wall ${(wall / 1000).toFixed(2)} s; throughput ${((done.length / wall) * 1000).toFixed(2)} pushes/s, ${mib((packageBytes / wall) * 1000)} MiB/s of packages\n` +
        `  push time p50 ${(percentile(times, 0.5) / 1000).toFixed(2)} s, p95 ${(percentile(times, 0.95) / 1000).toFixed(2)} s, max ${(times.at(-1) / 1000).toFixed(2)} s\n` +
        `  sent ${mib(sentBytes)} MiB of bits; ${matched} files matched from the pool\n` +
        `  a GET meanwhile: p50 ${percentile(probeTimes, 0.5).toFixed(0)} ms, max ${probeTimes.at(-1).toFixed(0)} ms (${probeTimes.length} probes)\n` +
        `  server peak RSS so far ${(await peakRssMiB()).toFixed(0)} MiB\n`,
    )
    for (const failure of failures) process.stdout.write(`  FAILED: ${failure.reason.message}\n`)
    return failures.length
  }

  const client = createPackwrightClient({ serverUrl: base, token: TOKEN })
  let failed = await pushRound('first pushes')
  if (rounds > 1) {
    // Each tree changes one file of its own: a re-push sends little and rebuilds from the pool.
    for (const [index, tree] of trees.entries()) {
      await writeFile(
        join(tree.root, 'package.json'),
        `{"name":"load-${index}","version":"2.0.${index}"}\n`,
      )
      const generated = await generatePackage({
        source: tree.root,
        outFile: join(work, `tree-${index}.zip`),
      })
      Object.assign(tree, {
        entries: [...generated.entries],
        sha256: generated.sha256,
        size: generated.size,
      })
    }
    failed += await pushRound('re-pushes, one file changed')
  }
  process.exitCode = failed === 0 ? 0 : 1
} finally {
  clearTimeout(deadline)
  if (server !== undefined) {
    server.kill('SIGTERM')
    if (server.exitCode === null) await new Promise((resolve) => server.on('exit', resolve))
  }
  await rm(work, { recursive: true, force: true })
}
