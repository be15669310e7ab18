#!/usr/bin/env node
// Measures core's validateZip on the worst case of each structural check, each
// judged in a fresh Node process (time and peak RSS):
// (a) types: 100,000 entries made on FAT, half files, half S_IFLNK symlinks to them;
// (b) unicode-path: 100,000 entries whose ~600-byte names are repeated in an Info-ZIP
//     Unicode Path field in both headers (the central directory near its 128 MiB cap);
// (c) unaccounted: 100,000 entries each preceded by a hidden local entry
//     (100,000 ZIP_UNACCOUNTED_BYTES problems);
// (d) descriptor-scan: one 1 GiB stored entry with a data descriptor, its data a run of
//     data descriptor signatures (every 4th byte starts a candidate);
// (e) not-a-zip: a sparse 4 GiB file with no zip records (only its tail may be read);
// (f) fifo: a FIFO with no writer (must be refused at once, not hang).
// Baselines for comparison: plain-entries (100,000 one-byte files, no extras) and
// plain-stored (the same 1 GiB stored entry without a data descriptor).
// Each file is built and judged in processes of its own, so that neither the
// builder's memory nor another case's counts in a peak RSS.
//
// Options: --count N (entries for a–c, default 100000), --only NAME, --keep.
// Uses packages/core/dist: build it first with
// `npx turbo run build --filter=@packwright/core`.
/* global console, performance, process */
import { Buffer } from 'node:buffer'
import { spawnSync } from 'node:child_process'
import { closeSync, openSync, writeSync } from 'node:fs'
import { mkdtemp, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { crc32 } from 'node:zlib'

const here = dirname(fileURLToPath(import.meta.url))
const core = join(here, '../packages/core/dist/index.js')

const args = process.argv.slice(2)
const option = (name) => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}

// Child mode: judge one file and print the measurements as JSON.
if (option('--judge') !== undefined) {
  const { validateZip } = await import(pathToFileURL(core).href)
  const started = performance.now()
  let outcome
  try {
    const report = await validateZip(option('--judge'))
    const codes = [...new Set(report.problems.map((problem) => problem.code))]
    outcome = {
      valid: report.valid,
      problems: report.problems.length,
      codes,
      hashed: report.sha256 !== undefined,
    }
  } catch (error) {
    outcome = { thrown: error.code }
  }
  const seconds = (performance.now() - started) / 1000
  console.log(JSON.stringify({ seconds, rssMb: process.resourceUsage().maxRSS / 1024, ...outcome }))
  process.exit(0)
}

const FAT = 0 << 8
const UNIX = 3 << 8

/** Writes a zip record by record without holding it in memory (no ZIP64: every case stays under 4 GiB). */
class RawZipWriter {
  constructor(path) {
    this.fd = openSync(path, 'w')
    this.offset = 0
    this.central = []
    this.centralBytes = 0
  }

  write(bytes) {
    writeSync(this.fd, bytes)
    this.offset += bytes.length
  }

  /** Writes a local header + data (+ data descriptor) and remembers its central record. */
  entry({
    name,
    data = Buffer.alloc(0),
    madeBy = UNIX,
    attributes,
    extra = Buffer.alloc(0),
    descriptor = false,
  }) {
    const nameBytes = Buffer.from(name)
    const crc = crc32(data)
    const offset = this.offset
    const flags = descriptor ? 0x0008 : 0
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(flags, 6)
    local.writeUInt16LE(0x21, 12)
    local.writeUInt32LE(descriptor ? 0 : crc, 14)
    local.writeUInt32LE(descriptor ? 0 : data.length, 18)
    local.writeUInt32LE(descriptor ? 0 : data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    local.writeUInt16LE(extra.length, 28)
    this.write(Buffer.concat([local, nameBytes, extra]))
    this.write(data)
    if (descriptor) {
      const end = Buffer.alloc(16)
      end.writeUInt32LE(0x08074b50, 0)
      end.writeUInt32LE(crc, 4)
      end.writeUInt32LE(data.length, 8)
      end.writeUInt32LE(data.length, 12)
      this.write(end)
    }
    const record = Buffer.alloc(46)
    record.writeUInt32LE(0x02014b50, 0)
    record.writeUInt16LE(madeBy | 20, 4)
    record.writeUInt16LE(20, 6)
    record.writeUInt16LE(flags, 8)
    record.writeUInt16LE(0x21, 14)
    record.writeUInt32LE(crc, 16)
    record.writeUInt32LE(data.length, 20)
    record.writeUInt32LE(data.length, 24)
    record.writeUInt16LE(nameBytes.length, 28)
    record.writeUInt16LE(extra.length, 30)
    record.writeUInt32LE(attributes >>> 0, 38)
    record.writeUInt32LE(offset, 42)
    const full = Buffer.concat([record, nameBytes, extra])
    this.central.push(full)
    this.centralBytes += full.length
    if (this.central.length >= 4096) this.#flushCentral()
  }

  #flushCentral() {
    // Central records are staged in a temp list only while entries are written; keep them in memory, compactly.
    this.centralChunks ??= []
    this.centralChunks.push(Buffer.concat(this.central))
    this.central = []
  }

  close() {
    this.#flushCentral()
    const start = this.offset
    for (const chunk of this.centralChunks) this.write(chunk)
    const count = this.centralChunks.reduce((sum, chunk) => sum + countRecords(chunk), 0)
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06054b50, 0)
    end.writeUInt16LE(Math.min(count, 0xffff), 8)
    end.writeUInt16LE(Math.min(count, 0xffff), 10)
    end.writeUInt32LE(this.offset - start, 12)
    end.writeUInt32LE(start, 16)
    if (count > 0xffff) this.#writeZip64End(start, this.offset - start, count, end)
    this.write(end)
    closeSync(this.fd)
  }

  #writeZip64End(start, size, count, end) {
    const record = Buffer.alloc(56)
    record.writeUInt32LE(0x06064b50, 0)
    record.writeBigUInt64LE(44n, 4)
    record.writeUInt16LE(0x032d, 12)
    record.writeUInt16LE(45, 14)
    record.writeBigUInt64LE(BigInt(count), 24)
    record.writeBigUInt64LE(BigInt(count), 32)
    record.writeBigUInt64LE(BigInt(size), 40)
    record.writeBigUInt64LE(BigInt(start), 48)
    const at = this.offset
    this.write(record)
    const locator = Buffer.alloc(20)
    locator.writeUInt32LE(0x07064b50, 0)
    locator.writeBigUInt64LE(BigInt(at), 8)
    locator.writeUInt32LE(1, 16)
    this.write(locator)
    end.writeUInt16LE(0xffff, 8)
    end.writeUInt16LE(0xffff, 10)
  }
}

function countRecords(chunk) {
  let count = 0
  for (let at = 0; at < chunk.length; count++)
    at +=
      46 + chunk.readUInt16LE(at + 28) + chunk.readUInt16LE(at + 30) + chunk.readUInt16LE(at + 32)
  return count
}

function unicodePath(name) {
  const head = Buffer.alloc(9)
  const bytes = Buffer.from(name)
  head.writeUInt16LE(0x7075, 0)
  head.writeUInt16LE(5 + bytes.length, 2)
  head.writeUInt8(1, 4)
  head.writeUInt32LE(crc32(bytes), 5)
  return Buffer.concat([head, bytes])
}

const REGULAR = (0o100644 << 16) >>> 0

/** 1 GiB of data descriptor signatures. */
function signatures() {
  const signature = Buffer.alloc(4)
  signature.writeUInt32LE(0x08074b50)
  return Buffer.alloc(1024 ** 3, signature)
}

const count = Number(option('--count') ?? 100_000)
const cases = {
  types(path) {
    const zip = new RawZipWriter(path)
    for (let i = 0; i < count / 2; i++) {
      zip.entry({
        name: `d${i % 100}/f${i}`,
        data: Buffer.from(String(i)),
        madeBy: FAT,
        attributes: 0x20,
      })
      zip.entry({
        name: `d${i % 100}/l${i}`,
        data: Buffer.from(`f${i}`),
        madeBy: FAT,
        attributes: (0o120777 << 16) >>> 0,
      })
    }
    zip.close()
  },
  'unicode-path'(path) {
    const zip = new RawZipWriter(path)
    const stem = 'n'.repeat(560)
    for (let i = 0; i < count; i++) {
      const name = `${stem}/${String(i).padStart(8, '0')}.txt`
      zip.entry({
        name,
        data: Buffer.from('x'),
        attributes: (0o100644 << 16) >>> 0,
        extra: unicodePath(name),
      })
    }
    zip.close()
  },
  unaccounted(path) {
    const zip = new RawZipWriter(path)
    const hidden = Buffer.alloc(30 + 10)
    hidden.writeUInt32LE(0x04034b50, 0)
    hidden.writeUInt16LE(10, 26)
    hidden.write('../../../x', 30)
    for (let i = 0; i < count; i++) {
      zip.write(hidden)
      zip.entry({ name: `f${i}`, data: Buffer.from('x'), attributes: (0o100644 << 16) >>> 0 })
    }
    zip.close()
  },
  'descriptor-scan'(path) {
    const zip = new RawZipWriter(path)
    zip.entry({ name: 'signatures.bin', data: signatures(), attributes: REGULAR, descriptor: true })
    zip.close()
  },
  'plain-entries'(path) {
    const zip = new RawZipWriter(path)
    for (let i = 0; i < count; i++)
      zip.entry({ name: `f${i}`, data: Buffer.from('x'), attributes: REGULAR })
    zip.close()
  },
  'plain-stored'(path) {
    const zip = new RawZipWriter(path)
    zip.entry({ name: 'signatures.bin', data: signatures(), attributes: REGULAR })
    zip.close()
  },
  async 'not-a-zip'(path) {
    await writeFile(path, '')
    await truncate(path, 4 * 1024 ** 3)
  },
  fifo(path) {
    spawnSync('mkfifo', [path])
  },
}

// Child mode: build one case's file.
if (option('--build') !== undefined) {
  await cases[option('--build')](option('--to'))
  process.exit(0)
}

const only = option('--only')
const dir = await mkdtemp(join(tmpdir(), 'packwright-structure-bench-'))
try {
  console.log(`validateZip, one fresh process per case (${count} entries for a–c)`)
  for (const [name, build] of Object.entries(cases)) {
    if (only !== undefined && only !== name) continue
    const path = join(dir, `${name}.zip`)
    void build
    spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--build', name, '--to', path, '--count', String(count)],
      {
        stdio: 'inherit',
      },
    )
    const size = (await stat(path)).size
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--judge', path], {
      encoding: 'utf8',
      timeout: 120_000,
    })
    const line = child.stdout.trim().split('\n').pop() ?? ''
    const result = line.startsWith('{')
      ? JSON.parse(line)
      : { error: child.stderr || 'no output (timed out?)' }
    console.log(
      `${name.padEnd(16)} ${(size / 1024 ** 2).toFixed(1).padStart(8)} MiB  ` +
        (result.error !== undefined
          ? `failed: ${result.error}`
          : `${result.seconds.toFixed(2).padStart(6)} s  peak RSS ${result.rssMb.toFixed(0).padStart(5)} MB  ${JSON.stringify({ ...result, seconds: undefined, rssMb: undefined })}`),
    )
    await rm(path, { force: true })
  }
} finally {
  if (!args.includes('--keep')) await rm(dir, { recursive: true, force: true })
}
