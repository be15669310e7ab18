#!/usr/bin/env node
// `pnpm load`: concurrent pushes of different generated trees against one
// `packwright serve` process. Every push must end READY with exactly the
// bytes core's generatePackage makes of the same tree (checked by download);
// prints throughput, p50/p95 push time and the server's peak RSS. Bounded:
// it gives up after --timeout seconds. Run after building core, server and cli:
//   node packages/server/bench/load.mjs [--pushes 20] [--files 400] [--timeout 600]
// Each tree shares a third of its files with every other tree (the same
// vendored library), so pushes race to put the same blobs into the pool.
import { Buffer } from 'node:buffer'
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createCipheriv, createHash } from 'node:crypto'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { clearTimeout, setTimeout } from 'node:timers'
import { setTimeout as sleep } from 'node:timers/promises'
import { URL, fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { generatePackage, planResourceUpload } from '@packwright/core'

const { fetch, FormData, Blob } = globalThis

const { values } = parseArgs({
  options: {
    pushes: { type: 'string', default: '20' },
    files: { type: 'string', default: '400' },
    timeout: { type: 'string', default: '600' },
  },
})
const pushes = Number(values.pushes)
const filesPerTree = Number(values.files)
const timeoutMs = Number(values.timeout) * 1000
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

async function api(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const answer = await response.json()
  if (response.status >= 400) throw new Error(`${method} ${path}: ${JSON.stringify(answer)}`)
  return answer
}

/**
 * One push as a resource-matching client makes it: app, package, match,
 * zip of the unmatched files only, upload, poll, then download and compare.
 */
async function push(base, work, tree, index) {
  const started = performance.now()
  const app = await api(base, 'POST', '/v3/apps', { name: `load-${index}` })
  const created = await api(base, 'POST', '/v3/packages', {
    type: 'bits',
    relationships: { app: { data: { guid: app.guid } } },
  })
  const descriptors = tree.entries
    .filter((entry) => entry.kind === 'file')
    .map((entry) => ({
      checksum: { value: entry.sha1 },
      size_in_bytes: entry.size,
      path: entry.path,
      mode: entry.mode,
    }))
  const phases = { created: performance.now() - started }
  const matched = await api(base, 'POST', '/v3/resource_matches', { resources: descriptors })
  phases.matched = performance.now() - started
  const known = new Set(matched.resources.map((entry) => entry.checksum.value))
  const plan = planResourceUpload(tree.entries, known)
  const only = join(work, `upload-${index}`)
  for (const entry of plan.upload) {
    await mkdir(dirname(join(only, entry.path)), { recursive: true })
    await copyFile(join(tree.root, entry.path), join(only, entry.path))
  }
  const form = new FormData()
  form.append('resources', JSON.stringify(plan.resources))
  let bitsBytes = 0
  if (plan.upload.length > 0) {
    const zipPath = join(work, `upload-${index}.zip`)
    await generatePackage({ source: only, outFile: zipPath, mode: 'directory' })
    const zip = await readFile(zipPath)
    bitsBytes = zip.length
    form.append('bits', new Blob([zip]), 'package.zip')
  }
  phases.zipped = performance.now() - started
  const uploaded = await fetch(`${base}/v3/packages/${created.guid}/upload`, {
    method: 'POST',
    headers: { authorization: `bearer ${TOKEN}` },
    body: form,
  })
  let record = await uploaded.json()
  phases.answered = performance.now() - started
  if (uploaded.status !== 200 && uploaded.status !== 202) {
    throw new Error(`upload ${index}: ${uploaded.status} ${JSON.stringify(record)}`)
  }
  while (record.state === 'PROCESSING_UPLOAD') {
    await sleep(100)
    record = await api(base, 'GET', `/v3/packages/${created.guid}`)
  }
  const elapsed = performance.now() - started
  if (process.env.LOAD_PHASES)
    process.stderr.write(
      `push ${index}: ${JSON.stringify(phases)} ready ${elapsed.toFixed(0)} (${uploaded.status})\n`,
    )
  if (record.state !== 'READY') {
    throw new Error(`push ${index} ended ${record.state}: ${record.data?.error}`)
  }
  const download = await fetch(`${base}/v3/packages/${created.guid}/download`, {
    headers: { authorization: `bearer ${TOKEN}` },
  })
  const served = createHash('sha256')
    .update(Buffer.from(await download.arrayBuffer()))
    .digest('hex')
  if (record.data.checksum.value !== tree.sha256 || served !== tree.sha256) {
    throw new Error(
      `push ${index}: expected ${tree.sha256}, server says ${record.data.checksum.value}, served ${served}`,
    )
  }
  return { elapsed, bitsBytes, matchedFiles: plan.resources.length }
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
  // While the pushes run, a small GET every 100 ms: how long the server makes it wait.
  let probing = true
  const probeTimes = []
  const probe = (async () => {
    while (probing) {
      const sent = performance.now()
      await api(base, 'GET', '/v3/packages?per_page=1')
      probeTimes.push(performance.now() - sent)
      await sleep(100)
    }
  })()
  const started = performance.now()
  const results = await Promise.allSettled(
    trees.map((tree, index) => push(base, work, tree, index)),
  )
  const wall = performance.now() - started
  probing = false
  await probe
  probeTimes.sort((a, b) => a - b)
  const failures = results.filter((result) => result.status === 'rejected')
  const done = results
    .filter((result) => result.status === 'fulfilled')
    .map((result) => result.value)
  const times = done.map((result) => result.elapsed).sort((a, b) => a - b)
  const packageBytes = trees.reduce((sum, tree) => sum + tree.size, 0)
  const sentBytes = done.reduce((sum, result) => sum + result.bitsBytes, 0)
  const matched = done.reduce((sum, result) => sum + result.matchedFiles, 0)
  const mib = (bytes) => (bytes / 2 ** 20).toFixed(1)
  process.stdout.write(
    `${pushes} concurrent pushes of ${filesPerTree + 1}-file trees (${mib(packageBytes)} MiB of packages)\n` +
      `  READY with the bytes generatePackage makes: ${done.length}/${pushes}\n` +
      `  wall ${(wall / 1000).toFixed(2)} s; throughput ${((done.length / wall) * 1000).toFixed(2)} pushes/s, ${mib((packageBytes / wall) * 1000)} MiB/s of packages\n` +
      `  push time p50 ${(percentile(times, 0.5) / 1000).toFixed(2)} s, p95 ${(percentile(times, 0.95) / 1000).toFixed(2)} s, max ${(times.at(-1) / 1000).toFixed(2)} s\n` +
      `  sent ${mib(sentBytes)} MiB of bits; ${matched} files matched from the pool\n` +
      `  a GET meanwhile: p50 ${percentile(probeTimes, 0.5).toFixed(0)} ms, max ${probeTimes.at(-1).toFixed(0)} ms (${probeTimes.length} probes)\n` +
      `  server peak RSS ${(await peakRssMiB()).toFixed(0)} MiB\n`,
  )
  for (const failure of failures) process.stdout.write(`  FAILED: ${failure.reason.message}\n`)
  process.exitCode = failures.length === 0 ? 0 : 1
} finally {
  clearTimeout(deadline)
  if (server !== undefined) {
    server.kill('SIGTERM')
    if (server.exitCode === null) await new Promise((resolve) => server.on('exit', resolve))
  }
  await rm(work, { recursive: true, force: true })
}
