#!/usr/bin/env node
// Prints, for spicepod packages of growing size, the time of Spice's
// `POST /v1/packages/generate` through a real `packwright serve` process (a
// build, then a cache hit) and that process's peak RSS (VmHWM). GitHub is a
// stand-in on 127.0.0.1 answering from a local git repository. Run after
// building core, server and cli:
//   node packages/server/bench/measure-generate.mjs [MiB ...]
// Defaults: 16 and 256 MiB of linked files (1 MiB each, incompressible).
import { Buffer } from 'node:buffer'
import { spawn } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import process from 'node:process'
import { URL, fileURLToPath } from 'node:url'

const { fetch } = globalThis
const sizes = process.argv.slice(2).map(Number)
if (sizes.length === 0) sizes.push(16, 256)
const SERVER_TOKEN = 'bench-token'
const GITHUB_TOKEN = 'bench-github-token'
const cli = fileURLToPath(new URL('../../cli/dist/main.js', import.meta.url))
const work = await mkdtemp(join(tmpdir(), 'packwright-generate-bench-'))

/** Runs git in `cwd` and answers its stdout as bytes. */
function git(cwd, args, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd,
      env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const chunks = []
    child.stdout.on('data', (chunk) => chunks.push(chunk))
    child.on('close', (code) =>
      code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`git ${args[0]}: ${code}`)),
    )
  })
}

/** A repository with a spicepod whose dataset links `data/` holding `mib` files of 1 MiB. */
async function makeRepository(mib) {
  const repoDir = join(work, `repo-${mib}`)
  await mkdir(join(repoDir, 'data'), { recursive: true })
  await writeFile(
    join(repoDir, 'spicepod.yaml'),
    'version: v1\nkind: Spicepod\nname: bench\ndatasets:\n  - from: file:data\n    name: data\n',
  )
  for (let index = 0; index < mib; index += 1) {
    await writeFile(
      join(repoDir, 'data', `part-${String(index).padStart(4, '0')}.bin`),
      randomBytes(1024 ** 2),
    )
  }
  const identity = {
    GIT_AUTHOR_NAME: 'Bench',
    GIT_AUTHOR_EMAIL: 'bench@example.test',
    GIT_COMMITTER_NAME: 'Bench',
    GIT_COMMITTER_EMAIL: 'bench@example.test',
    GIT_AUTHOR_DATE: '2024-05-06T07:08:09Z',
    GIT_COMMITTER_DATE: '2024-05-06T07:08:09Z',
  }
  await git(repoDir, ['init', '--quiet', '--initial-branch=main'])
  await git(repoDir, ['add', '--all'])
  await git(repoDir, ['commit', '--quiet', '-m', 'bench'], identity)
  const sha = (await git(repoDir, ['rev-parse', 'HEAD'])).toString().trim()
  return { repoDir, sha }
}

/** The three GitHub REST answers the reader needs (commit, recursive tree, raw blob). */
async function startGitHub(repoDir) {
  const json = (response, status, body) => {
    response.writeHead(status, { 'content-type': 'application/json' })
    response.end(JSON.stringify(body))
  }
  const server = createServer((request, response) => {
    if (request.headers.authorization !== `Bearer ${GITHUB_TOKEN}`) {
      json(response, 401, { message: 'Bad credentials' })
      return
    }
    const path = request.url ?? ''
    const answer = async () => {
      const commit = /\/commits\/([0-9a-f]+)$/.exec(path)
      if (commit) {
        const [sha, tree, date] = (
          await git(repoDir, ['show', '-s', '--format=%H%n%T%n%cI', commit[1]])
        )
          .toString()
          .trim()
          .split('\n')
        return json(response, 200, { sha, commit: { tree: { sha: tree }, committer: { date } } })
      }
      const tree = /\/git\/trees\/([0-9a-f]+)\?recursive=1$/.exec(path)
      if (tree) {
        const lines = (await git(repoDir, ['ls-tree', '-r', '-t', '-l', '-z', tree[1]]))
          .toString()
          .split('\0')
          .filter(Boolean)
        const entries = lines.map((line) => {
          const tab = line.indexOf('\t')
          const [mode, type, sha, size] = line.slice(0, tab).split(/\s+/)
          return {
            path: line.slice(tab + 1),
            mode,
            type,
            sha,
            ...(type === 'blob' ? { size: Number(size) } : {}),
          }
        })
        return json(response, 200, { sha: tree[1], tree: entries, truncated: false })
      }
      const blob = /\/git\/blobs\/([0-9a-f]+)$/.exec(path)
      if (blob) {
        const bytes = await git(repoDir, ['cat-file', 'blob', blob[1]])
        response.writeHead(200, { 'content-type': 'application/vnd.github.raw+json' })
        return response.end(bytes)
      }
      return json(response, 404, { message: 'Not Found' })
    }
    answer().catch((error) => json(response, 500, { message: String(error) }))
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${server.address().port}`, close: () => server.close() }
}

/** `packwright serve` with a config naming the stand-in; answers its URL and child. */
async function startServe(githubUrl, label) {
  const config = join(work, `server-${label}.json`)
  await writeFile(config, JSON.stringify({ spice: { githubApiUrl: githubUrl } }))
  const child = spawn(
    process.execPath,
    [cli, 'serve', '--data', join(work, `data-${label}`), '--port', '0', '--config', config],
    {
      env: { ...process.env, PACKWRIGHT_TOKEN: SERVER_TOKEN },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  )
  const url = await new Promise((resolve, reject) => {
    let text = ''
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${text}`)))
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      text += chunk
      const found = /listening on (http:\/\/[^\s]+)/.exec(text)
      if (found) resolve(found[1])
    })
  })
  return { url, child }
}

async function peakRssMiB(pid) {
  const status = await readFile(`/proc/${pid}/status`, 'utf8')
  const kib = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? NaN)
  return Math.round(kib / 1024)
}

/** One generate request, the body read and hashed as it streams; answers ms, bytes and sha256. */
async function generate(url, from) {
  const started = performance.now()
  const response = await fetch(`${url}/v1/packages/generate`, {
    method: 'POST',
    headers: { authorization: `Bearer ${SERVER_TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ from, params: { github_token: GITHUB_TOKEN } }),
  })
  if (response.status !== 200)
    throw new Error(`generate answered ${response.status}: ${await response.text()}`)
  const hash = createHash('sha256')
  let bytes = 0
  for await (const chunk of response.body) {
    hash.update(chunk)
    bytes += chunk.length
  }
  const sha256 = hash.digest('hex')
  if (sha256 !== response.headers.get('x-package-sha256'))
    throw new Error('sha256 header differs from the body')
  return { ms: Math.round(performance.now() - started), bytes, sha256 }
}

try {
  process.stdout.write('linked MiB | zip MiB | build ms | cache hit ms | peak RSS MiB (serve)\n')
  for (const mib of sizes) {
    const { repoDir, sha } = await makeRepository(mib)
    const github = await startGitHub(repoDir)
    const serve = await startServe(github.url, String(mib))
    try {
      const from = `github:bench/pods/${sha}/spicepod.yaml`
      const built = await generate(serve.url, from)
      const hit = await generate(serve.url, from)
      if (hit.sha256 !== built.sha256) throw new Error('a cache hit answered other bytes')
      const rss = await peakRssMiB(serve.child.pid)
      process.stdout.write(
        `${String(mib).padStart(10)} | ${(built.bytes / 1024 ** 2).toFixed(1).padStart(7)} | ${String(built.ms).padStart(8)} | ${String(hit.ms).padStart(12)} | ${String(rss).padStart(6)}\n`,
      )
    } finally {
      serve.child.kill('SIGTERM')
      await new Promise((resolve) => serve.child.once('exit', resolve))
      github.close()
      await rm(repoDir, { recursive: true, force: true })
    }
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
