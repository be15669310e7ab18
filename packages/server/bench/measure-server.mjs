#!/usr/bin/env node
// Prints time and peak RSS for the server's heaviest requests of this slice:
// a full resource match (5000 descriptors, all in the pool), a full page of
// packages (per_page=5000), and a streamed blob put. Run after building:
//   node packages/server/bench/measure-server.mjs [blobMiB]
import { Buffer } from 'node:buffer'
import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { Readable } from 'node:stream'
import { clearInterval, setInterval } from 'node:timers'
import { createServer, hashToken, openEmbeddedStorage } from '../dist/index.js'

const blobMiB = Number(process.argv[2] ?? 256)
let peakRss = 0
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
}, 5)

async function measure(label, run) {
  peakRss = process.memoryUsage.rss()
  const started = performance.now()
  await run()
  const elapsed = performance.now() - started
  peakRss = Math.max(peakRss, process.memoryUsage.rss())
  process.stdout.write(
    `${label.padEnd(48)} ${elapsed.toFixed(0).padStart(7)} ms   peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB\n`,
  )
}

const folder = await mkdtemp(join(tmpdir(), 'packwright-server-bench-'))
const storage = await openEmbeddedStorage(folder)
const app = await createServer({
  storage,
  tokens: [{ name: 'bench', sha256: hashToken('bench'), scopes: ['admin'] }],
})
const headers = { authorization: 'bearer bench' }
try {
  const resources = []
  for (let index = 0; index < 5000; index += 1) {
    const sha1 = createHash('sha1').update(`file ${index}`).digest('hex')
    await storage.metadata.addPoolEntry({ sha1, size: 100 + index })
    resources.push({
      checksum: { value: sha1 },
      size_in_bytes: 100 + index * 997,
      path: `f/${index}`,
      mode: '644',
    })
  }
  await measure('POST /v3/resource_matches, 5000 of 5000 match', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v3/resource_matches',
      headers,
      payload: { resources },
    })
    if (response.statusCode !== 201 || response.json().resources.length !== 5000)
      throw new Error(response.body)
  })

  const created = await app.inject({
    method: 'POST',
    url: '/v3/apps',
    headers,
    payload: { name: 'bench' },
  })
  const appGuid = created.json().guid
  for (let index = 0; index < 5000; index += 1) {
    await app.inject({
      method: 'POST',
      url: '/v3/packages',
      headers,
      payload: { type: 'bits', relationships: { app: { data: { guid: appGuid } } } },
    })
  }
  await measure('GET /v3/packages?per_page=5000 (5000 packages)', async () => {
    const response = await app.inject({ method: 'GET', url: '/v3/packages?per_page=5000', headers })
    if (response.json().resources.length !== 5000) throw new Error(response.body.slice(0, 200))
  })

  const chunk = Buffer.alloc(1024 * 1024, 7)
  const hash = createHash('sha256')
  for (let index = 0; index < blobMiB; index += 1) hash.update(chunk)
  const digest = hash.digest('hex')
  await measure(`BlobStore.put, ${blobMiB} MiB streamed (sha256, fsync)`, async () => {
    async function* source() {
      for (let index = 0; index < blobMiB; index += 1) yield chunk
    }
    await storage.packages.put(digest, Readable.from(source()))
  })
} finally {
  clearInterval(sampler)
  await app.close()
  await storage.close()
  await rm(folder, { recursive: true, force: true })
}
