#!/usr/bin/env node
// Measures how long core's validateZip takes to judge hostile archives at the
// default limits, and its peak memory, each in a fresh Node process:
// (a) deep-names: 100,000 entries with the deepest names the 128 MiB central
//     directory cap allows for that many entries, all sharing one long prefix;
// (b) link-chains: 100,000 symlinks whose ~1.9 KB targets walk 380 folders
//     down and back up, then go through the next link of a chain of five.
// Goal: each judged in ≤ 5 s wall, peak RSS ≤ 300 MB. Printed per archive:
// validateZip's wall and CPU time and the process's peak RSS when it returns
// (before the checks below run), then the name and symlink checks alone on
// the names and targets it read (the part that grows with depth and length;
// the rest reads and inflates each entry once).
//
// Options: --count N (entries per archive, default 100000; smaller values show
// the growth of an older build quickly), --only NAME, --keep, --core DIR (a
// built core to measure instead, to compare builds).
// Uses packages/core/dist: build it first with
// `npx turbo run build --filter=@packwright/core`.
/* global console, performance, process */
import { Buffer } from 'node:buffer'
import { spawnSync } from 'node:child_process'
import { closeSync, openSync, writeSync } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { crc32, deflateRawSync } from 'node:zlib'

const here = dirname(fileURLToPath(import.meta.url))

const GOAL_SECONDS = 5
const GOAL_RSS_MB = 300
const CENTRAL_DIRECTORY_CAP = 128 * 1024 ** 2
const CENTRAL_RECORD_BYTES = 46
const MAX_NAME_BYTES = 4096

const args = process.argv.slice(2)
const option = (name) => {
  const at = args.indexOf(name)
  return at >= 0 ? args[at + 1] : undefined
}
const core = join(option('--core') ?? join(here, '../packages/core/dist'), 'index.js')

// Child mode: judge one zip and print the measurements as JSON: validateZip
// as a whole, then the name and symlink checks alone on the names and
// targets it read (what grows with name depth and target length).
if (option('--judge') !== undefined) {
  const { validateZip } = await import(pathToFileURL(core).href)
  const read = (file) => import(pathToFileURL(join(dirname(core), 'zip/read', file)).href)
  const { validateEntryNames } = await read('validate-entry-names.js')
  const { validateSymlinks } = await read('validate-symlinks.js')
  const cpuBefore = process.cpuUsage()
  const started = performance.now()
  const report = await validateZip(option('--judge'))
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuBefore)
  const rssMb = process.resourceUsage().maxRSS / 1024
  const names = report.entries.map((entry) => ({ name: entry.path, kind: entry.kind }))
  const links = new Map()
  for (const entry of report.entries)
    if (entry.linkTarget !== undefined) links.set(entry.path, entry.linkTarget)
  const checksCpuBefore = process.cpuUsage()
  const checksStarted = performance.now()
  validateEntryNames(names)
  validateSymlinks(links)
  const checkSeconds = (performance.now() - checksStarted) / 1000
  const checksCpu = process.cpuUsage(checksCpuBefore)
  const codes = [...new Set(report.problems.map((problem) => problem.code))]
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      checkSeconds,
      checkCpuSeconds: (checksCpu.user + checksCpu.system) / 1e6,
      rssMb,
      entries: report.entries.length,
      valid: report.valid,
      problems: report.problems.length,
      codes,
    }),
  )
  process.exit(0)
}

/** Writes a zip entry by entry without holding it in memory; ZIP64 end records when needed. */
class StreamingZipWriter {
  constructor(path) {
    this.fd = openSync(path, 'w')
    this.offset = 0
    this.central = []
    this.centralChunks = []
    this.centralBytes = 0
    this.count = 0
  }

  write(bytes) {
    writeSync(this.fd, bytes)
    this.offset += bytes.length
  }

  add(name, { data = Buffer.alloc(0), symlink = false, deflate = false } = {}) {
    const nameBytes = Buffer.from(name, 'utf8')
    const payload = deflate ? deflateRawSync(data) : data
    const method = deflate ? 8 : 0
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt16LE(0x21, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(payload.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(nameBytes.length, 26)
    const headerOffset = this.offset
    this.write(local)
    this.write(nameBytes)
    this.write(payload)

    const record = Buffer.alloc(CENTRAL_RECORD_BYTES)
    record.writeUInt32LE(0x02014b50, 0)
    record.writeUInt16LE(0x0314, 4)
    record.writeUInt16LE(20, 6)
    record.writeUInt16LE(0x0800, 8)
    record.writeUInt16LE(method, 10)
    record.writeUInt16LE(0x21, 14)
    record.writeUInt32LE(crc, 16)
    record.writeUInt32LE(payload.length, 20)
    record.writeUInt32LE(data.length, 24)
    record.writeUInt16LE(nameBytes.length, 28)
    record.writeUInt32LE(((symlink ? 0o120777 : 0o100644) << 16) >>> 0, 38)
    record.writeUInt32LE(headerOffset, 42)
    this.central.push(record, nameBytes)
    this.centralBytes += record.length + nameBytes.length
    this.count++
    if (this.central.length >= 2048) this.flushCentral()
  }

  // The central directory is kept in memory in chunks (it is at most 128 MiB here).
  flushCentral() {
    this.centralChunks.push(Buffer.concat(this.central))
    this.central = []
  }

  close() {
    this.flushCentral()
    const centralOffset = this.offset
    for (const chunk of this.centralChunks) this.write(chunk)
    const zip64End = this.offset
    const end64 = Buffer.alloc(56)
    end64.writeUInt32LE(0x06064b50, 0)
    end64.writeBigUInt64LE(44n, 4)
    end64.writeUInt16LE(0x032d, 12)
    end64.writeUInt16LE(45, 14)
    end64.writeBigUInt64LE(BigInt(this.count), 24)
    end64.writeBigUInt64LE(BigInt(this.count), 32)
    end64.writeBigUInt64LE(BigInt(this.centralBytes), 40)
    end64.writeBigUInt64LE(BigInt(centralOffset), 48)
    this.write(end64)
    const locator = Buffer.alloc(20)
    locator.writeUInt32LE(0x07064b50, 0)
    locator.writeBigUInt64LE(BigInt(zip64End), 8)
    locator.writeUInt32LE(1, 16)
    this.write(locator)
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06054b50, 0)
    end.writeUInt16LE(0xffff, 8)
    end.writeUInt16LE(0xffff, 10)
    end.writeUInt32LE(0xffffffff, 12)
    end.writeUInt32LE(0xffffffff, 16)
    this.write(end)
    closeSync(this.fd)
    return this.centralBytes
  }
}

/** The longest name that lets `count` entries fit the default central directory cap. */
function deepestNameBytes(count) {
  return Math.min(MAX_NAME_BYTES, Math.floor(CENTRAL_DIRECTORY_CAP / count) - CENTRAL_RECORD_BYTES)
}

const SHAPES = {
  'deep-names': {
    describe: (count) =>
      `${count} files in shuffled order, ${deepestNameBytes(count)}-byte names of 1-letter folders sharing all but the last segment`,
    write(writer, count) {
      const nameBytes = deepestNameBytes(count)
      const tailBytes = 16
      const prefix = 'd/'.repeat(Math.floor((nameBytes - tailBytes) / 2))
      for (let i = 0; i < count; i++) {
        // 7919 is prime, so this shuffles 0..count-1 unless count is a multiple of it.
        const tail = `f${String((i * 7919) % count).padStart(tailBytes - 1, '0')}`
        writer.add(`${prefix}${tail}`)
      }
    },
  },
  'link-chains': {
    describe: (count) =>
      `${count} symlinks in chains of 5, each target 380 folders down, 380 up, then the next link`,
    write(writer, count) {
      const detour = `${'d/'.repeat(380)}${'../'.repeat(380)}`
      for (let i = 0; i < count; i++) {
        const target = i % 5 === 4 ? `${'d/'.repeat(900)}f` : `${detour}${i + 1}`
        writer.add(`s/${i}`, { data: Buffer.from(target), symlink: true, deflate: true })
      }
    },
  },
}

const count = Number(option('--count') ?? 100_000)
const only = option('--only')
const work = await mkdtemp(join(tmpdir(), 'packwright-validate-bench-'))
let missed = false
try {
  console.log(
    `validateZip at the default limits (goal: each archive judged in ≤ ${GOAL_SECONDS} s wall, peak RSS ≤ ${GOAL_RSS_MB} MB)`,
  )
  for (const [name, shape] of Object.entries(SHAPES)) {
    if (only !== undefined && only !== name) continue
    const zip = join(work, `${name}.zip`)
    const writer = new StreamingZipWriter(zip)
    shape.write(writer, count)
    const centralBytes = writer.close()
    const zipBytes = (await stat(zip)).size
    const child = spawnSync(
      process.execPath,
      [fileURLToPath(import.meta.url), '--judge', zip, '--core', dirname(core)],
      {
        encoding: 'utf8',
        maxBuffer: 16 << 20,
      },
    )
    if (child.status !== 0) throw new Error(`judging ${name} failed:\n${child.stderr}`)
    const result = JSON.parse(child.stdout)
    const pass = result.seconds <= GOAL_SECONDS
    const rssPass = result.rssMb <= GOAL_RSS_MB
    if (!pass || !rssPass) missed = true
    console.log(`\n${name}: ${shape.describe(count)}`)
    console.log(
      `  zip ${(zipBytes / 1e6).toFixed(1)} MB, central directory ${(centralBytes / 1024 ** 2).toFixed(1)} MiB`,
    )
    console.log(
      `  validateZip: ${result.seconds.toFixed(2)} s wall, ${result.cpuSeconds.toFixed(2)} s CPU, ` +
        `peak RSS ${result.rssMb.toFixed(0)} MB, ${result.entries} entries, valid=${result.valid}, ` +
        `${result.problems} problems ${JSON.stringify(result.codes)}`,
    )
    console.log(
      `  name and symlink checks alone: ${result.checkSeconds.toFixed(2)} s wall, ` +
        `${result.checkCpuSeconds.toFixed(2)} s CPU`,
    )
    console.log(
      `  goal ≤ ${GOAL_SECONDS} s wall: ${result.seconds.toFixed(2)} s ${pass ? 'PASS' : 'MISS'}; ` +
        `goal peak RSS ≤ ${GOAL_RSS_MB} MB: ${result.rssMb.toFixed(0)} MB ${rssPass ? 'PASS' : 'MISS'}`,
    )
  }
} finally {
  if (!args.includes('--keep')) await rm(work, { recursive: true, force: true })
  else console.log(`\nzips kept in ${work}`)
}
process.exitCode = missed ? 1 : 0
