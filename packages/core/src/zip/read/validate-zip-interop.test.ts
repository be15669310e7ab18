import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { constants, deflateRawSync } from 'node:zlib'

import { afterAll, beforeAll, describe, expect, it } from 'vitest'

import { buildRawZip } from '../../../test/helpers/build-raw-zip.js'
import { openZip } from './open-zip.js'
import { validateZip } from './validate-zip.js'
import { type InspectedEntry } from './validate-zip-report.js'

const run = promisify(execFile)

let dir: string
let tree: string
const files: Record<string, Buffer> = {
  'a.txt': Buffer.from('hello\n'),
  'sub/rand.bin': createHash('sha512').update('seed').digest(),
  'sub/deeper/x.txt': Buffer.from('x'.repeat(5000)),
  'sub/empty.txt': Buffer.alloc(0),
  'café/naïve.txt': Buffer.from('unicode names\n'),
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'packwright-zip-interop-'))
  tree = join(dir, 'tree')
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(tree, path, '..'), { recursive: true })
    await writeFile(join(tree, path), content)
  }
  await chmod(join(tree, 'sub/rand.bin'), 0o755)
  await symlink('sub/deeper/x.txt', join(tree, 'link'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

function sha(algorithm: 'sha1' | 'sha256', content: Uint8Array): string {
  return createHash(algorithm).update(content).digest('hex')
}

/** Checks that every source file is in the report with the right size and checksums. */
function expectFilesReported(entries: readonly InspectedEntry[]): void {
  for (const [path, content] of Object.entries(files)) {
    expect(entries.find((entry) => entry.path === path)).toMatchObject({
      kind: 'file',
      size: content.length,
      sha1: sha('sha1', content),
      sha256: sha('sha256', content),
    })
  }
}

async function python(script: string, ...args: string[]): Promise<void> {
  await run('python3', ['-c', script, ...args], { maxBuffer: 1024 * 1024 })
}

describe('zips made by Info-ZIP', () => {
  it('validates `zip -r -y` output with its extra fields and symlinks', async () => {
    const path = join(dir, 'info-zip.zip')
    await run('zip', ['-q', '-r', '-y', path, '.'], { cwd: tree })
    const report = await validateZip(path)
    expect(report.problems).toEqual([])
    expectFilesReported(report.entries)
    expect(report.entries.find((entry) => entry.path === 'sub/rand.bin')?.mode).toBe('755')
    expect(report.entries.find((entry) => entry.path === 'sub/')).toMatchObject({
      kind: 'directory',
      mode: '755',
    })
    expect(report.entries.find((entry) => entry.path === 'link')).toMatchObject({
      kind: 'symlink',
      mode: '777',
      linkTarget: 'sub/deeper/x.txt',
    })
    const bytes = await readFile(path)
    expect(report.sha256).toBe(sha('sha256', bytes))
    expect(report.size).toBe(bytes.length)
  })

  it('validates streamed `zip -` output (data descriptors)', async () => {
    const path = join(dir, 'info-zip-stream.zip')
    // Writing to a pipe makes Info-ZIP stream: sizes and CRCs follow the data in
    // data descriptors. (It refuses to stream stored entries, so only non-empty files.)
    const names = Object.keys(files).filter((name) => files[name]?.length !== 0)
    await run('sh', ['-c', 'out="$1"; shift; zip -q - "$@" | cat > "$out"', 'sh', path, ...names], {
      cwd: tree,
    })
    const bytes = await readFile(path)
    expect(bytes.readUInt16LE(6) & 0x0008).toBe(0x0008)
    const report = await validateZip(path)
    expect(report.problems).toEqual([])
    for (const name of names) {
      const content = files[name] ?? Buffer.alloc(0)
      expect(report.entries.find((entry) => entry.path === name)).toMatchObject({
        sha256: sha('sha256', content),
      })
    }
  })

  it('reports a symlink that Info-ZIP stored pointing outside', async () => {
    const escaping = join(dir, 'escaping')
    await mkdir(escaping)
    await writeFile(join(escaping, 'ok.txt'), 'fine')
    await symlink('../../etc/passwd', join(escaping, 'evil'))
    const path = join(dir, 'escaping.zip')
    await run('zip', ['-q', '-r', '-y', path, '.'], { cwd: escaping })
    const report = await validateZip(path)
    expect(report.problems.map((problem) => [problem.code, problem.entry])).toEqual([
      ['ZIP_SYMLINK_ESCAPES_ROOT', 'evil'],
    ])
  })
})

describe('zips made by Python zipfile', () => {
  const writeTree = `
import os, sys, zipfile
root, out = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:
    for base, dirs, names in sorted(os.walk(root)):
        for name in sorted(dirs + names):
            full = os.path.join(base, name)
            if not os.path.islink(full):
                z.write(full, os.path.relpath(full, root))
`

  it('validates a deflated archive with directory entries', async () => {
    const path = join(dir, 'python.zip')
    await python(writeTree, tree, path)
    const report = await validateZip(path)
    expect(report.problems).toEqual([])
    expectFilesReported(report.entries)
    expect(report.sha256).toBe(sha('sha256', await readFile(path)))
  })

  it('validates an archive written to an unseekable stream, with forced ZIP64 entries', async () => {
    const path = join(dir, 'python-stream.zip')
    await python(
      `
import io, sys, zipfile
class Unseekable(io.RawIOBase):
    def __init__(self, f): self.f = f
    def writable(self): return True
    def seekable(self): return False
    def write(self, b): return self.f.write(b)
with open(sys.argv[1], 'wb') as f:
    with zipfile.ZipFile(Unseekable(f), 'w', zipfile.ZIP_DEFLATED) as z:
        z.writestr('plain.txt', 'plain ' * 100)
        with z.open('forced.bin', 'w', force_zip64=True) as e:
            e.write(b'zip64 data ' * 1000)
`,
      path,
    )
    const report = await validateZip(path)
    expect(report.problems).toEqual([])
    expect(report.entries.map((entry) => [entry.path, entry.size, entry.sha256])).toEqual([
      ['plain.txt', 600, sha('sha256', Buffer.from('plain '.repeat(100)))],
      ['forced.bin', 11_000, sha('sha256', Buffer.from('zip64 data '.repeat(1000)))],
    ])
  })

  it('reads a ZIP64 archive with more than 65,535 entries', async () => {
    const path = join(dir, 'many.zip')
    await python(
      `
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_STORED, allowZip64=True) as z:
    for i in range(70000):
        z.writestr('d%02d/f%05d' % (i % 50, i), str(i))
`,
      path,
    )
    const archive = await openZip(path)
    try {
      expect(archive.entries).toHaveLength(70_000)
      const last = archive.entries[69_999]
      expect(last?.name).toBe('d49/f69999')
      const chunks: Buffer[] = []
      if (last !== undefined)
        for await (const chunk of archive.openEntry(last)) chunks.push(chunk as Buffer)
      expect(Buffer.concat(chunks).toString()).toBe('69999')
    } finally {
      await archive.close()
    }
    const report = await validateZip(path)
    expect(report.problems).toEqual([])
    expect(report.entries).toHaveLength(70_000)
    expect(report.totalUncompressedBytes).toBe(
      Array.from({ length: 70_000 }, (_, i) => String(i).length).reduce((a, b) => a + b, 0),
    )
  })
})

describe('zip bombs', () => {
  /** A raw deflate stream of `mebibytes` MiB of zeros made of one repeated, fully flushed block. */
  function zerosStream(mebibytes: number): Buffer {
    const block = deflateRawSync(Buffer.alloc(1024 * 1024), { finishFlush: constants.Z_FULL_FLUSH })
    const end = deflateRawSync(Buffer.alloc(0))
    return Buffer.concat([...Array.from({ length: mebibytes }, () => block), end])
  }

  it('accepts 5 MiB of zeros with the default limits', async () => {
    const zeros = Buffer.alloc(5 * 1024 * 1024)
    const path = join(dir, 'zeros.zip')
    await writeFile(path, buildRawZip([{ name: 'zeros.bin', data: zeros, deflate: true }]))
    const report = await validateZip(path)
    expect(report.problems).toEqual([])
    expect(report.entries[0]?.sha256).toBe(sha('sha256', zeros))
  })

  it('stops inflating an entry that claims 1 KiB but expands to gigabytes', async () => {
    const stream = zerosStream(8 * 1024)
    const path = join(dir, 'bomb.zip')
    await writeFile(
      path,
      buildRawZip([
        { name: 'bomb.bin', compressed: stream, method: 8, uncompressedSize: 1024, crc32: 0 },
      ]),
    )
    const report = await validateZip(path)
    expect(report.problems).toEqual([
      expect.objectContaining({ code: 'ZIP_ENTRY_SIZE_MISMATCH', entry: 'bomb.bin' }),
    ])
    expect(report.problems[0]?.message).toContain('inflates to more than its declared 1024 bytes')
  })

  it('refuses honest declarations beyond the total before inflating anything', async () => {
    const stream = zerosStream(600)
    const path = join(dir, 'two-bombs.zip')
    const bomb = { compressed: stream, method: 8, uncompressedSize: 600 * 1024 * 1024, crc32: 0 }
    await writeFile(
      path,
      buildRawZip([
        { name: 'a.bin', ...bomb },
        { name: 'b.bin', ...bomb },
      ]),
    )
    const report = await validateZip(path)
    expect(report.problems.map((problem) => problem.code)).toEqual(['ZIP_TOO_LARGE'])
    expect(report.problems[0]?.message).toContain(
      `declare ${1200 * 1024 * 1024} uncompressed bytes in total`,
    )
    const single = join(dir, 'one-bomb.zip')
    await writeFile(single, buildRawZip([{ name: 'a.bin', ...bomb }]))
    const one = await validateZip(single)
    expect(one.problems).toEqual([
      expect.objectContaining({ code: 'ZIP_COMPRESSION_RATIO_EXCEEDED' }),
    ])
  })
})
