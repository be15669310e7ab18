import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readZipContent } from '@packwright/core'
import { runPackwright } from './helpers/packwright-cli.js'
import { type TreeFile, writeTree } from './helpers/write-tree.js'

const TREE: Record<string, TreeFile> = {
  'README.md': '# demo\n',
  'src/index.js': 'export const answer = 42\n'.repeat(200),
  'src/lib/util.js': 'export function id(x) { return x }\n',
  'bin/run.sh': { content: '#!/bin/sh\necho hi\n', executable: true },
  'assets/logo.png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4, 5, 6, 7, 8]),
  'data/empty.txt': '',
  'docs/ünïcode name.txt': 'utf-8 names\n',
  'link-to-readme': { symlink: 'README.md' },
}

/** The package sha256 of TREE: any change to the zip format must update it knowingly. */
const GOLDEN_SHA256 = '800f5edc1294e38bb93b8843d25830a751152e7a5d582433cc3c9e3fd80a7506'

interface GenerateJson {
  sha256: string
  size: number
  contentDigest: string
  entries: { path: string; size: number; mode: string; sha1: string; sha256: string }[]
}

let work: string
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-cli-'))
})
afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

async function generate(source: string, out: string, env: NodeJS.ProcessEnv = {}, umask?: string) {
  const run = await runPackwright(['generate', source, '--out', out, '--json'], {
    env,
    ...(umask === undefined ? {} : { umask }),
  })
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  return JSON.parse(run.stdout) as GenerateJson
}

describe('packwright generate (directory mode)', () => {
  let first: GenerateJson
  let zipPath: string

  beforeAll(async () => {
    const a = join(work, 'tree-a')
    const b = join(work, 'tree-b')
    await writeTree(a, TREE, { mtime: new Date('2001-02-03T04:05:06Z') })
    await writeTree(b, TREE, { reverse: true, mtime: new Date('2024-12-31T23:59:58Z') })
    // tree b as a restrictive umask would have made it
    await chmod(join(b, 'README.md'), 0o600)
    await chmod(join(b, 'bin/run.sh'), 0o700)
    zipPath = join(work, 'a.zip')
    first = await generate(a, zipPath, { TZ: 'UTC' }, '022')
    const second = await generate(b, join(work, 'b.zip'), { TZ: 'Pacific/Kiritimati' }, '077')
    expect(second).toEqual(first)
    const bytesA = await readFile(zipPath)
    const bytesB = await readFile(join(work, 'b.zip'))
    expect(bytesB.equals(bytesA)).toBe(true)
  })

  it('prints exactly one JSON object with the zip digest and the sorted entries', async () => {
    const bytes = await readFile(zipPath)
    expect(first.sha256).toBe(createHash('sha256').update(bytes).digest('hex'))
    expect(first.size).toBe(bytes.length)
    expect(Object.keys(first)).toEqual(['sha256', 'size', 'contentDigest', 'entries'])
    const paths = first.entries.map((e) => e.path)
    expect(paths).toEqual([...Object.keys(TREE)].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0)))
    for (const entry of first.entries) {
      expect(Object.keys(entry)).toEqual(['path', 'size', 'mode', 'sha1', 'sha256'])
    }
    const byPath = new Map(first.entries.map((e) => [e.path, e]))
    expect(byPath.get('bin/run.sh')?.mode).toBe('755')
    expect(byPath.get('README.md')?.mode).toBe('644')
    expect(byPath.get('link-to-readme')?.mode).toBe('777')
    const index = TREE['src/index.js'] as string
    expect(byPath.get('src/index.js')).toMatchObject({
      size: Buffer.byteLength(index),
      sha1: createHash('sha1').update(index).digest('hex'),
      sha256: createHash('sha256').update(index).digest('hex'),
    })
  })

  it('is byte-identical to the golden package', () => {
    expect(first.sha256).toBe(GOLDEN_SHA256)
  })

  it('passes Info-ZIP and Python zipfile tests, and extracts to the source bytes', async () => {
    execFileSync('unzip', ['-tq', zipPath])
    const python = `import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nbad = z.testzip()\nsys.exit(1 if bad else 0)`
    execFileSync('python3', ['-c', python, zipPath])
    const out = join(work, 'extracted')
    execFileSync('unzip', ['-q', zipPath, '-d', out])
    for (const [path, file] of Object.entries(TREE)) {
      if (typeof file === 'object' && 'symlink' in file) continue
      const expected = typeof file === 'object' && !Buffer.isBuffer(file) ? file.content : file
      expect((await readFile(join(out, path))).equals(Buffer.from(expected)), path).toBe(true)
    }
  })

  it('writes the manifest file when asked, equal to the JSON output', async () => {
    const manifest = join(work, 'manifest.json')
    const run = await runPackwright([
      'generate',
      join(work, 'tree-a'),
      '--out',
      join(work, 'c.zip'),
      '--manifest',
      manifest,
    ])
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(first.sha256)
    expect(JSON.parse(await readFile(manifest, 'utf8'))).toEqual(first)
  })

  it('prints the content digest: the zip read back gives it, and other compression keeps it', async () => {
    expect(first.contentDigest).toMatch(/^[0-9a-f]{64}$/)
    expect((await readZipContent(zipPath)).digest()).toBe(first.contentDigest)
    const stored = join(work, 'stored.zip')
    const run = await runPackwright([
      'generate',
      join(work, 'tree-a'),
      '--out',
      stored,
      '--json',
      '--compression-level',
      '0',
    ])
    const again = JSON.parse(run.stdout) as GenerateJson
    expect(again.sha256).not.toBe(first.sha256)
    expect(again.contentDigest).toBe(first.contentDigest)
    const human = await runPackwright(['generate', join(work, 'tree-a'), '--out', stored])
    expect(human.stdout).toContain(`  content ${first.contentDigest}\n`)
  })
})

describe('packwright generate (spicepod mode)', () => {
  it('packages the example pod with every linked file, rooted at the manifest', async () => {
    const example = new URL('../examples/spicepod/spicepod.yaml', import.meta.url).pathname
    const result = await generate(example, join(work, 'pod.zip'))
    expect(result.entries.map((e) => e.path)).toEqual([
      'data/customers.csv',
      'data/orders.csv',
      'datasets/orders/dataset.yaml',
      'queries/top_customers.sql',
      'spicepod.yaml',
      'spicepods/acme/taxonomy/data/countries.csv',
      'spicepods/acme/taxonomy/spicepod.yaml',
    ])
  })
})

describe('packwright failures', () => {
  it('reports a missing source as `error [CODE]: message` without a stack trace', async () => {
    const run = await runPackwright([
      'generate',
      join(work, 'does-not-exist'),
      '--out',
      join(work, 'x.zip'),
    ])
    expect(run.code).toBe(1)
    expect(run.stderr).toMatch(/^error \[[A-Z_]+\]: /)
    expect(run.stderr).toContain('does-not-exist')
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(run.stdout).toBe('')
  })

  it('answers an invalid github spec in its own words, not with the Spice endpoint’s', async () => {
    const run = await runPackwright(['generate', 'github:org/repo', '--out', join(work, 'x.zip')])
    expect(run.code).toBe(1)
    expect(run.stderr).toContain(
      'error [SOURCE_SPEC_INVALID]: Invalid github source "github:org/repo": it has fewer than four parts; expected github:{org}/{repo}/{sha}/{path}',
    )
    expect(run.stderr).not.toContain('`from`')
  })

  it('rejects unknown options as a usage error (exit 2)', async () => {
    const run = await runPackwright(['generate', '.', '--frobnicate'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/^error \[USAGE\]: generate has no option "--frobnicate"\n/)
  })
})
