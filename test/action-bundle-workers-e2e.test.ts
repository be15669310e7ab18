import { execFile } from 'node:child_process'
import { createCipheriv, createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { git } from './helpers/git.js'
import { CLI_PATH } from './helpers/packwright-cli.js'
import { resolveNode24 } from './helpers/resolve-node24.js'
import { REPO_ROOT, runBundledAction } from './helpers/run-bundled-action.js'

const execFileAsync = promisify(execFile)

/** Deflated pieces run on workers only when an archive has this much content to deflate. */
const WORKERS_FROM_BYTES = 2 * 1024 * 1024
/** Entries above this are streamed in pieces (16 KiB probe + 1 MiB). */
const STREAMED_ABOVE = 16 * 1024 + 1024 * 1024

function seededBytes(seed: number, size: number): Buffer {
  return createCipheriv('aes-128-ctr', Buffer.alloc(16, seed), Buffer.alloc(16)).update(
    Buffer.alloc(size),
  )
}

function logText(lines: number): string {
  return Array.from(
    { length: lines },
    (_, line) => `${line} GET /api/items/${(line * 7919) % 1009} 200 ${(line * 31) % 977}ms\n`,
  ).join('')
}

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex')
}

let baseDir: string
let workspace: string
let sha: string
let node24: string
let contentBytes = 0

beforeAll(async () => {
  baseDir = await mkdtemp(join(tmpdir(), 'packwright-action-workers-'))
  workspace = join(baseDir, 'workspace')
  const files: [string, Buffer][] = [
    // Streamed and deflated piece by piece on the workers.
    ['logs/requests.log', Buffer.from(logText(80_000))],
    // Streamed and stored: its first piece does not shrink.
    ['assets/blob.bin', seededBytes(7, 1_400_000)],
    // Small files, batched into jobs the workers read and deflate whole.
    ...Array.from({ length: 240 }, (_, index): [string, Buffer] => [
      `src/module-${String(index).padStart(3, '0')}.txt`,
      Buffer.from(logText(100 + index)),
    ]),
  ]
  for (const [path, content] of files) {
    await mkdir(join(workspace, path, '..'), { recursive: true })
    await writeFile(join(workspace, path), content)
    contentBytes += content.length
  }
  await git(workspace, 'init', '--quiet', '--initial-branch=main')
  await git(workspace, 'add', '--all')
  await git(workspace, 'commit', '--quiet', '-m', 'large enough for the workers')
  sha = await git(workspace, 'rev-parse', 'HEAD')
  node24 = await resolveNode24()
})

afterAll(async () => {
  if (baseDir !== undefined) await rm(baseDir, { recursive: true, force: true })
})

describe('the bundled action on a tree that uses the worker threads', () => {
  it('is large enough for workers and streamed pieces', async () => {
    expect(contentBytes).toBeGreaterThan(2 * WORKERS_FROM_BYTES)
    const streamed = [
      await readFile(join(workspace, 'logs/requests.log')),
      await readFile(join(workspace, 'assets/blob.bin')),
    ]
    for (const content of streamed) expect(content.length).toBeGreaterThan(STREAMED_ABOVE)
    // The worker module is an asset next to the bundle, not inlined into it.
    const bundle = await readdir(join(REPO_ROOT, 'packages/action/dist'))
    const assets = bundle.filter((name) => /^[0-9a-f]{20}\.js$/.test(name))
    const workers: string[] = []
    for (const asset of assets) {
      const text = await readFile(join(REPO_ROOT, 'packages/action/dist', asset), 'utf8')
      if (text.includes('serveEntryJobs')) workers.push(asset)
    }
    expect(workers).toHaveLength(1)
  })

  it('writes the same bytes as the CLI, deflating on worker threads', async () => {
    const run = await runBundledAction({
      node: node24,
      workspace,
      baseDir,
      inputs: { 'upload-artifact': 'false', name: 'workers' },
      env: {
        GITHUB_SHA: sha,
        GITHUB_REPOSITORY: 'octo-org/workers',
        GITHUB_REF: 'refs/heads/main',
        GITHUB_REF_NAME: 'main',
        GITHUB_RUN_ID: '77',
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_API_URL: 'http://127.0.0.1:9/unreachable',
      },
    })
    expect(run.exitCode, `${run.stdout}\n${run.stderr}`).toBe(0)
    expect(run.stdout).not.toContain('::error')
    // The writer says how many threads it started (a debug line of the job log).
    const threads = /with (\d+) worker threads\./.exec(run.stdout)
    expect(threads, run.stdout).not.toBeNull()
    expect(Number(threads?.[1])).toBeGreaterThan(0)

    const packagePath = run.outputs['package-path'] ?? ''
    const digest = await sha256Of(packagePath)
    expect(run.outputs['package-sha256']).toBe(digest)
    expect(run.outputs['file-count']).toBe('242')

    // The CLI under the same Node (so the same zlib), from the same commit.
    const cliZip = join(baseDir, 'cli.zip')
    const { stdout } = await execFileAsync(
      node24,
      [CLI_PATH, 'generate', `git:${workspace}#${sha}`, '--out', cliZip, '--json'],
      { maxBuffer: 64 * 1024 * 1024 },
    )
    expect((JSON.parse(stdout) as { sha256: string }).sha256).toBe(digest)
    expect(await sha256Of(cliZip)).toBe(digest)

    const { stdout: test } = await execFileAsync('unzip', ['-tq', packagePath])
    expect(test).toContain('No errors detected')
  })
})
