/**
 * Small valid zips from several writers, to start fuzzing from: our own
 * writer, Info-ZIP `zip` (plain, forced ZIP64, streamed with data
 * descriptors) and a raw ZIP64 archive with data descriptors. Together they
 * hold files (stored and deflated, empty, executable), folders (with and
 * without files), symlinks, Info-ZIP extra fields, ZIP64 fields and records.
 *
 * @module
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmod, lutimes, mkdir, readFile, symlink, utimes, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'

import { type PlannedEntry } from '../../src/plan/planned-entry.js'
import { writeDeterministicZip } from '../../src/zip/write/write-deterministic-zip.js'
import { buildRawZip, symlinkEntry } from './build-raw-zip.js'
import { type MemoryFile, createMemorySourceReader } from './memory-source-reader.js'

const run = promisify(execFile)

export interface SeedZip {
  /** Which writer made it and how. */
  readonly label: string
  readonly bytes: Buffer
}

/** Every entry time, so Info-ZIP writes the same bytes on every run (2020-01-01T00:00:00Z). */
const FIXED_TIME = new Date('2020-01-01T00:00:00Z')

const FILES: Record<string, Buffer> = {
  'a.txt': Buffer.from('hello\n'),
  'sub/b.bin': Buffer.concat(
    [0, 1, 2, 3, 4].map((i) => createHash('sha512').update(`seed ${i}`).digest()),
  ),
  'sub/deeper/c.txt': Buffer.from('compressible '.repeat(200)),
  'empty.txt': Buffer.alloc(0),
  'run.sh': Buffer.from('#!/bin/sh\necho hi\n'),
}
const LINKS: Record<string, string> = { link: 'sub/b.bin', 'sub/up': '../a.txt' }

/** Builds the seed zips, using `dir` (which must exist) for the source tree and the zips. */
export async function buildSeedZips(dir: string): Promise<SeedZip[]> {
  const tree = join(dir, 'seed-tree')
  await writeSeedTree(tree)
  const seeds: SeedZip[] = []
  const zipWith = async (label: string, command: string): Promise<void> => {
    const out = join(dir, `seed-${seeds.length}.zip`)
    await run('sh', ['-c', command, 'sh', out], { cwd: tree, env: { ...process.env, ZIPOPT: '' } })
    seeds.push({ label, bytes: await readFile(out) })
  }

  seeds.push({ label: 'writeDeterministicZip', bytes: await writeOurs(join(dir, 'seed-ours.zip')) })
  await zipWith('zip -r -y', 'zip -q -r -y "$1" .')
  await zipWith('zip -fz -r -y (ZIP64 extra fields)', 'zip -q -fz -r -y "$1" .')
  await zipWith(
    'zip - | cat (data descriptors)',
    'zip -q - a.txt sub/b.bin sub/deeper/c.txt run.sh | cat > "$1"',
  )
  seeds.push({ label: 'buildRawZip (ZIP64, data descriptors)', bytes: rawZip64() })
  return seeds
}

async function writeSeedTree(tree: string): Promise<void> {
  await mkdir(join(tree, 'emptydir'), { recursive: true })
  for (const [path, content] of Object.entries(FILES)) {
    await mkdir(join(tree, path, '..'), { recursive: true })
    await writeFile(join(tree, path), content)
  }
  await chmod(join(tree, 'run.sh'), 0o755)
  for (const [path, target] of Object.entries(LINKS)) {
    await symlink(target, join(tree, path))
    await lutimes(join(tree, path), FIXED_TIME, FIXED_TIME)
  }
  for (const path of [...Object.keys(FILES), 'sub/deeper', 'sub', 'emptydir', '.'])
    await utimes(join(tree, path), FIXED_TIME, FIXED_TIME)
}

async function writeOurs(outFile: string): Promise<Buffer> {
  const files: Record<string, MemoryFile> = {}
  const entries: PlannedEntry[] = []
  for (const [path, content] of Object.entries(FILES)) {
    const executable = path === 'run.sh'
    files[path] = { content, executable }
    entries.push({
      zipPath: path,
      sourcePath: path,
      kind: 'file',
      size: content.length,
      executable,
    })
  }
  for (const [path, target] of Object.entries(LINKS)) {
    files[path] = { symlink: target }
    entries.push({
      zipPath: path,
      sourcePath: path,
      kind: 'symlink',
      size: Buffer.byteLength(target),
      executable: false,
      linkTarget: target,
    })
  }
  await writeDeterministicZip({ entries, reader: createMemorySourceReader(files), outFile })
  return readFile(outFile)
}

function rawZip64(): Buffer {
  return buildRawZip(
    [
      { name: 'dir/', zip64: true },
      {
        name: 'dir/f.txt',
        data: FILES['sub/deeper/c.txt'],
        deflate: true,
        zip64: true,
        dataDescriptor: true,
      },
      {
        name: 'g.bin',
        data: FILES['sub/b.bin'],
        zip64: true,
        dataDescriptor: { signature: false },
      },
      symlinkEntry('ln', 'dir/f.txt', { zip64: true }),
    ],
    { zip64: true },
  )
}
