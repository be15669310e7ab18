#!/usr/bin/env node
// Prints time and the server process's peak RSS (VmHWM) for one streamed
// upload of a stored zip through a real `packwright serve` process, and for
// its assembly until READY. Run after building server and cli:
//   node packages/server/bench/measure-upload.mjs [files] [MiBPerFile]
// Defaults: 16 files of 63 MiB (1008 MiB of zip; core's default package
// limit is 1 GiB uncompressed).
import { Buffer } from 'node:buffer'
import { spawn } from 'node:child_process'
import { createReadStream } from 'node:fs'
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { setTimeout as sleep } from 'node:timers/promises'
import { URL, fileURLToPath } from 'node:url'

const { fetch } = globalThis

const files = Number(process.argv[2] ?? 16)
const mibPerFile = Number(process.argv[3] ?? 63)
const TOKEN = 'bench-token'
const cli = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url))
const work = await mkdtemp(join(tmpdir(), 'packwright-upload-bench-'))

// A stored zip written by Python's zipfile, streamed from disk.
const zipPath = join(work, 'upload.zip')
const script = join(work, 'make-zip.py')
await writeFile(
  script,
  `import sys, zipfile
line = b"".join(b"line %08d of some text that compresses\\n" % i for i in range(1024))
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_STORED) as z:
    for n in range(${files}):
        with z.open("data/part-%02d.txt" % n, "w", force_zip64=True) as f:
            left = ${mibPerFile} * 1024 * 1024
            while left > 0:
                chunk = (b"%02d" % n + line)[: min(left, len(line) + 2)]
                f.write(chunk); left -= len(chunk)
`,
)
await new Promise((resolve, reject) =>
  spawn('python3', [script, zipPath], { stdio: 'inherit' }).on('exit', (code) =>
    code === 0 ? resolve() : reject(new Error(`python exited ${code}`)),
  ),
)
const zipSize = (await stat(zipPath)).size

const server = spawn(
  process.execPath,
  [cli, 'serve', '--data', join(work, 'data'), '--port', '0'],
  {
    env: { ...process.env, PACKWRIGHT_TOKEN: TOKEN },
    stdio: ['ignore', 'ignore', 'pipe'],
  },
)
const base = await new Promise((resolve) => {
  let text = ''
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
const auth = { authorization: `bearer ${TOKEN}` }
const json = async (method, path, body) => {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { ...auth, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  return response.json()
}

try {
  const app = await json('POST', '/v3/apps', { name: 'bench' })
  const pkg = await json('POST', '/v3/packages', {
    type: 'bits',
    relationships: { app: { data: { guid: app.guid } } },
  })
  const startRss = await peakRssMiB()
  let receivedRss = 0
  const boundary = 'packwright-bench-boundary'
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="resources"\r\n\r\n[]\r\n` +
      `--${boundary}\r\nContent-Disposition: form-data; name="bits"; filename="package.zip"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  )
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
  const started = performance.now()
  const answer = await new Promise((resolve, reject) => {
    const req = request(`${base}/v3/packages/${pkg.guid}/upload`, {
      method: 'POST',
      headers: {
        ...auth,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': head.length + zipSize + tail.length,
      },
    })
    req.on('error', reject)
    req.on('response', (response) => {
      let text = ''
      response.setEncoding('utf8').on('data', (chunk) => (text += chunk))
      response.on('end', () => resolve({ status: response.statusCode, body: JSON.parse(text) }))
    })
    req.write(head)
    const body = createReadStream(zipPath)
    body.pipe(req, { end: false })
    body.on('end', () => {
      req.end(tail)
      void peakRssMiB().then((value) => {
        receivedRss = value
      })
    })
  })
  const answered = performance.now()
  let state = answer.body.state
  while (state === 'PROCESSING_UPLOAD') {
    await sleep(200)
    state = (await json('GET', `/v3/packages/${pkg.guid}`)).state
  }
  const done = performance.now()
  const mib = (zipSize / 2 ** 20).toFixed(0)
  process.stdout.write(
    `upload of a ${mib} MiB zip (${files} stored files)\n` +
      `  answer ${answer.status} after ${(answered - started).toFixed(0)} ms; ${state} after ${(done - started).toFixed(0)} ms\n` +
      `  server peak RSS ${(await peakRssMiB()).toFixed(0)} MiB; ${receivedRss.toFixed(0)} MiB once the body was sent; ${startRss.toFixed(0)} MiB before\n`,
  )
} finally {
  server.kill('SIGTERM')
  await new Promise((resolve) => server.on('exit', resolve))
  await rm(work, { recursive: true, force: true })
}
