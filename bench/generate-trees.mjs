// Deterministic benchmark trees: the same seed gives the same files, byte for
// byte, on every machine, so runs can be compared across days and machines.
/* global Buffer */
import { createCipheriv } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, open, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { finished } from 'node:stream/promises'

/** mulberry32: a small, fast, seeded PRNG returning floats in [0, 1). */
export function createRandom(seed) {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = (random, items) => items[Math.floor(random() * items.length)]
const between = (random, low, high) => low + Math.floor(random() * (high - low + 1))

/** Seeded incompressible bytes: AES-128-CTR over zeros, keyed by the seed. */
export function randomBytesFor(seed, size) {
  const key = Buffer.alloc(16)
  key.writeUInt32LE(seed >>> 0, 0)
  key.writeUInt32LE(0x9e3779b9, 4)
  const cipher = createCipheriv('aes-128-ctr', key, Buffer.alloc(16))
  return cipher.update(Buffer.alloc(size))
}

function makeVocabulary(random, count) {
  const syllables = [
    'ka',
    'lo',
    'mi',
    're',
    'tu',
    'xe',
    'san',
    'dor',
    'vel',
    'qu',
    'ix',
    'on',
    'ar',
    'pe',
  ]
  const words = new Set()
  while (words.size < count) {
    let word = ''
    for (let i = between(random, 1, 4); i > 0; i--) word += pick(random, syllables)
    if (random() < 0.3) word += pick(random, ['Id', 'Map', 'List', 'Count', 'Name', 'Path'])
    words.add(word)
  }
  return [...words]
}

/** A pool of code-like lines; files are drawn from a window of it, like modules sharing idioms. */
function makeLinePool(random, size) {
  const words = makeVocabulary(random, 400)
  const w = () => pick(random, words)
  const templates = [
    () => `const ${w()} = ${w()}.${w()}(${w()}, ${between(random, 0, 999)})`,
    () => `if (${w()} === ${w()}) {`,
    () => `}`,
    () => `return ${w()}.${w()}`,
    () => `import { ${w()}, ${w()} } from './${w()}.js'`,
    () => `// ${w()} ${w()} ${w()} the ${w()} before ${w()}`,
    () => `export function ${w()}(${w()}: string, ${w()}: number): ${w()} {`,
    () => `  ${w()}: ${JSON.stringify(w())},`,
    () => `for (const ${w()} of ${w()}.${w()}) ${w()}.push(${w()})`,
    () => ``,
    () => `throw new Error(\`${w()} ${w()} \${${w()}}\`)`,
  ]
  const lines = []
  for (let i = 0; i < size; i++) {
    const indent = '  '.repeat(between(random, 0, 3))
    lines.push(indent + pick(random, templates)())
  }
  return lines
}

function sourceText(random, pool, targetSize) {
  const start = Math.floor(random() * (pool.length - 400))
  const parts = []
  let length = 0
  while (length < targetSize) {
    const line = pool[start + Math.floor(random() * 400)]
    parts.push(line)
    length += line.length + 1
  }
  return Buffer.from(parts.join('\n') + '\n')
}

function folderNames(random, count, depth) {
  const words = makeVocabulary(random, 200)
  const folders = []
  for (let i = 0; i < count; i++) {
    const parts = []
    for (let d = between(random, 1, depth); d > 0; d--) parts.push(pick(random, words))
    folders.push(parts.join('/'))
  }
  return folders
}

async function writeFiles(root, files, concurrency = 64) {
  let next = 0
  const workers = Array.from({ length: concurrency }, async () => {
    while (next < files.length) {
      const [path, bytes] = files[next++]
      const full = join(root, path)
      await mkdir(dirname(full), { recursive: true })
      await writeFile(full, bytes)
    }
  })
  await Promise.all(workers)
}

/** Text files of source-like content, log-uniform sizes; returns total bytes. */
async function writeTextFiles(root, random, { count, meanSize, prefix, extensions }) {
  const pool = makeLinePool(random, 20_000)
  const folders = folderNames(random, Math.max(1, Math.floor(count / 25)), 4)
  const used = new Set()
  let total = 0
  let batch = []
  for (let i = 0; i < count; i++) {
    // log-uniform between meanSize/12 and meanSize*3.4 averages close to meanSize
    const size = Math.round((meanSize / 12) * Math.exp(random() * Math.log(40)))
    let path
    do {
      path = `${prefix}${pick(random, folders)}/${pick(random, ['m', 'u', 'c'])}${i}.${pick(random, extensions)}`
    } while (used.has(path))
    used.add(path)
    const bytes = sourceText(random, pool, size)
    total += bytes.length
    batch.push([path, bytes])
    if (batch.length === 2000) {
      await writeFiles(root, batch)
      batch = []
    }
  }
  await writeFiles(root, batch)
  return total
}

/** (a) About 100 MB of source-like text in 30,000 files under nested folders. */
export async function generateSmallTree(root, { files = 30_000, meanSize = 3_750 } = {}) {
  const random = createRandom(20_240_601)
  const bytes = await writeTextFiles(root, random, {
    count: files,
    meanSize,
    prefix: '',
    extensions: ['ts', 'js', 'json', 'md', 'css', 'py'],
  })
  return { files, bytes }
}

async function writeLargeFile(path, totalSize, produce) {
  await mkdir(dirname(path), { recursive: true })
  const out = createWriteStream(path)
  let written = 0
  let index = 0
  while (written < totalSize) {
    const chunk = produce(index++, Math.min(4 << 20, totalSize - written))
    written += chunk.length
    if (!out.write(chunk)) await new Promise((resolve) => out.once('drain', resolve))
  }
  out.end()
  await finished(out)
  return written
}

/**
 * (b) About 600 MB of mixed content: source text, random binaries, already
 * compressed media, and a few 20–100 MB files (compressible logs and CSV,
 * random data, a half-random disk image).
 */
export async function generateMixedTree(root) {
  const random = createRandom(19_800_101)
  let files = 0
  let bytes = 0
  bytes += await writeTextFiles(root, random, {
    count: 8_000,
    meanSize: 18_000,
    prefix: 'src/',
    extensions: ['ts', 'js', 'json', 'md', 'html', 'txt'],
  })
  files += 8_000

  const binaries = []
  for (let i = 0; i < 1_500; i++) {
    const size = Math.round(2_048 * Math.exp(random() * Math.log(128)))
    binaries.push([`data/blob${i % 40}/part${i}.bin`, randomBytesFor(1_000 + i, size)])
  }
  for (let i = 0; i < 400; i++) {
    const size = Math.round(8_192 * Math.exp(random() * Math.log(64)))
    const extension = pick(random, ['png', 'jpg', 'gz', 'woff2', 'zip'])
    binaries.push([`assets/media${i % 12}/item${i}.${extension}`, randomBytesFor(5_000 + i, size)])
  }
  for (const [, content] of binaries) bytes += content.length
  files += binaries.length
  await writeFiles(root, binaries, 16)

  const logPool = makeLinePool(createRandom(7), 20_000)
  const logRandom = createRandom(11)
  const logLine = (n) =>
    `2024-06-01T12:${String(n % 60).padStart(2, '0')}:00Z INFO ${logPool[Math.floor(logRandom() * logPool.length)]?.trim()}`
  let lineNumber = 0
  bytes += await writeLargeFile(join(root, 'big/app.log'), 100 << 20, (_, size) => {
    const lines = []
    let length = 0
    while (length < size) {
      const line = logLine(lineNumber++)
      lines.push(line)
      length += line.length + 1
    }
    return Buffer.from(lines.join('\n') + '\n').subarray(0, size)
  })
  const csvRandom = createRandom(13)
  bytes += await writeLargeFile(join(root, 'big/table.csv'), 50 << 20, (_, size) => {
    const rows = []
    let length = 0
    while (length < size) {
      const row = `${Math.floor(csvRandom() * 1e6)},${(csvRandom() * 1000).toFixed(2)},item-${Math.floor(csvRandom() * 5000)},${csvRandom() < 0.5 ? 'true' : 'false'}`
      rows.push(row)
      length += row.length + 1
    }
    return Buffer.from(rows.join('\n') + '\n').subarray(0, size)
  })
  const sqlRandom = createRandom(17)
  const sqlPool = makeLinePool(createRandom(19), 5_000)
  let rowId = 0
  bytes += await writeLargeFile(join(root, 'big/dump.sql'), 40 << 20, (_, size) => {
    const rows = []
    let length = 0
    while (length < size) {
      const row = `INSERT INTO notes VALUES (${rowId++}, '${sqlPool[Math.floor(sqlRandom() * sqlPool.length)]?.trim().replaceAll("'", "''")}');`
      rows.push(row)
      length += row.length + 1
    }
    return Buffer.from(rows.join('\n') + '\n').subarray(0, size)
  })
  bytes += await writeLargeFile(join(root, 'big/random.bin'), 80 << 20, (i, size) =>
    randomBytesFor(90_000 + i, size),
  )
  bytes += await writeLargeFile(join(root, 'big/archive.tar.gz'), 30 << 20, (i, size) =>
    randomBytesFor(95_000 + i, size),
  )
  bytes += await writeLargeFile(join(root, 'big/disk.img'), 20 << 20, (i, size) =>
    i % 2 === 0 ? Buffer.alloc(size) : randomBytesFor(97_000 + i, size),
  )
  files += 6
  return { files, bytes }
}

/** (c) One file of `size` zeros, written out (every block on disk): deflates about 1000×. */
export async function generateZerosTree(root, { size = 1024 ** 3 } = {}) {
  const zeros = Buffer.alloc(4 << 20)
  const bytes = await writeLargeFile(join(root, 'zeros.bin'), size, (_, length) =>
    zeros.subarray(0, length),
  )
  return { files: 1, bytes }
}

/** (d) One sparse file of `size` bytes (`truncate -s`): reads as zeros, takes no disk space. */
export async function generateSparseTree(root, { size = 3 * 1024 ** 3 } = {}) {
  await mkdir(root, { recursive: true })
  const handle = await open(join(root, 'sparse.bin'), 'w')
  try {
    await handle.truncate(size)
  } finally {
    await handle.close()
  }
  return { files: 1, bytes: size }
}

/** (e) `files` tiny text files (12–100 bytes), 500 to a folder: per-entry costs dominate. */
export async function generateManyFilesTree(root, { files = 200_000 } = {}) {
  let bytes = 0
  let batch = []
  for (let i = 0; i < files; i++) {
    const folder = Math.floor(i / 500)
    const content = Buffer.from(`entry ${folder}/${i}\n`.repeat((i % 7) + 1))
    bytes += content.length
    batch.push([`f${folder}/file-${i}.txt`, content])
    if (batch.length === 5000) {
      await writeFiles(root, batch)
      batch = []
    }
  }
  await writeFiles(root, batch)
  return { files, bytes }
}
