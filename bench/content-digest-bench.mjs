#!/usr/bin/env node
// Measures the content digest of a package of many small files, both ways:
// (a) computeContentDigest over the resource list generatePackage returns;
// (b) readZipContent over the written zip (every entry streamed through sha256).
// Each runs in a fresh Node process and prints its wall time, the heap its
// content manifest holds (after a forced GC, the manifest still alive) and
// the process's peak RSS. Both digests must agree. For scale, (a) also prints
// the length of the canonical text, which is hashed line by line, never held.
//
// Options: --count N (files, default 200000), --keep (leave the tree and zip).
// Uses packages/core/dist: build it first with
// `npx turbo run build --filter=@packwright/core`.
/* global console, performance, process */
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const core = pathToFileURL(join(here, '../packages/core/dist/index.js')).href

const args = process.argv.slice(2)
const at = args.indexOf('--count')
const count = at >= 0 ? Number(args[at + 1]) : 200_000
const keep = args.includes('--keep')

/** Runs `code` (an ES module) as a file in a fresh `node --expose-gc` and returns its JSON line. */
function measure(code, folder, name) {
  const script = join(folder, `${name}.mjs`)
  writeFileSync(script, code)
  const run = spawnSync(process.execPath, ['--expose-gc', script], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  })
  if (run.status !== 0) throw new Error(`measurement failed: ${run.stderr}`)
  return JSON.parse(run.stdout.trim().split('\n').at(-1))
}

const MEASURE = (body) => `
import * as core from ${JSON.stringify(core)}
const mb = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10
${body.prepare}
globalThis.gc()
const held = () => process.memoryUsage().heapUsed + process.memoryUsage().external
const heapBefore = held()
const started = performance.now()
${body.run}
const ms = Math.round(performance.now() - started)
globalThis.gc()
const heapHeld = held() - heapBefore
${body.after ?? 'const extra = {}'}
console.log(JSON.stringify({ digest, ms, entries: manifest.length, heapHeldMb: mb(heapHeld),
  peakRssMb: mb(process.resourceUsage().maxRSS * 1024), ...extra }))
`

const work = await mkdtemp(join(tmpdir(), 'packwright-content-digest-bench-'))
try {
  const tree = join(work, 'tree')
  const zip = join(work, 'package.zip')
  const started = performance.now()
  for (let index = 0; index < count; index++) {
    const folder = join(tree, `dir-${String(Math.floor(index / 1000)).padStart(4, '0')}`)
    if (index % 1000 === 0) mkdirSync(folder, { recursive: true })
    const name = `file-${String(index % 1000).padStart(4, '0')}`
    if (index % 100 === 99)
      symlinkSync(
        `file-${String((index % 1000) - 1).padStart(4, '0')}.txt`,
        join(folder, `${name}.lnk`),
      )
    else writeFileSync(join(folder, `${name}.txt`), `content of file ${index}\n`)
  }
  console.log(
    `tree: ${count} entries (1 in 100 a symlink) in ${Math.round(performance.now() - started)} ms`,
  )

  const written = measure(
    MEASURE({
      prepare: `const pkg = await core.generatePackage({ source: ${JSON.stringify(tree)}, outFile: ${JSON.stringify(zip)}, limits: { maxEntries: ${count * 2} } })`,
      run: `const manifest = core.ContentManifest.fromResources(pkg.entries)
const digest = manifest.digest()`,
      after: `let textBytes = 0
for (const line of manifest.lines()) textBytes += line.length + 1
const extra = { canonicalTextMb: mb(textBytes) }`,
    }),
    work,
    'writer',
  )
  console.log(
    `(a) from the writer's resource list: ${written.entries} entries, digest ${written.digest}\n` +
      `    ${written.ms} ms, manifest held ${written.heapHeldMb} MB (heap and buffers), peak RSS ${written.peakRssMb} MB ` +
      `(generatePackage included); the canonical text, never held whole, is ${written.canonicalTextMb} MB`,
  )

  const read = measure(
    MEASURE({
      prepare: '',
      run: `const manifest = await core.readZipContent(${JSON.stringify(zip)}, { limits: { maxEntries: ${count * 2} } })
const digest = manifest.digest()`,
    }),
    work,
    'reader',
  )
  console.log(
    `(b) reading the zip with readZipContent: ${read.entries} entries, digest ${read.digest}\n` +
      `    ${read.ms} ms, manifest held ${read.heapHeldMb} MB (heap and buffers), peak RSS ${read.peakRssMb} MB`,
  )
  console.log(read.digest === written.digest ? 'digests agree' : 'DIGESTS DIFFER')
  if (read.digest !== written.digest) process.exitCode = 1
} finally {
  if (keep) console.log(`kept ${work}`)
  else await rm(work, { recursive: true, force: true })
}
