#!/usr/bin/env node
// Benchmarks packwright's zip writer against Info-ZIP `zip -r -6` (and,
// with --with-archiver, archiver 8 at zlib level 6) on two generated trees:
// (a) 30,000 small source-like text files (~100 MB),
// (b) ~600 MB of mixed content with a few 20–100 MB files.
//
// Then a memory section: peak RSS against the 200 MB goal on (c) 1 GiB of
// zeros, (d) a 3 GiB sparse file and (e) 200,000 tiny files.
//
// Options: --small-only (only (a)), --memory-only (only (c)–(e)), --no-memory,
// --with-archiver, --runs N (median of N timed runs per tool, default 1),
// --keep (leave the temp folder for inspection). --action runs action-bench.mjs
// instead: the GitHub Action beside actions/upload-artifact on tree (a).
/* global console, performance, process */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { cpus, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  generateManyFilesTree,
  generateMixedTree,
  generateSmallTree,
  generateSparseTree,
  generateZerosTree,
} from './generate-trees.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const repo = join(here, '..')
const cli = join(repo, 'packages/cli/dist/main.js')
const driver = join(here, 'package-directory.mjs')
const archiverDriver = join(here, 'archiver-directory.mjs')

const args = process.argv.slice(2)
const flag = (name) => args.includes(name)
const runsAt = args.indexOf('--runs')
const runs = runsAt >= 0 ? Math.max(1, Number(args[runsAt + 1]) || 1) : 1

if (flag('--action')) {
  const action = spawnSync(
    process.execPath,
    [join(here, 'action-bench.mjs'), ...args.filter((arg) => arg !== '--action')],
    { stdio: 'inherit' },
  )
  process.exit(action.status ?? 1)
}

const GOALS = {
  small: { time: 0.5, size: 1.02, rssMb: 200 },
  mixed: { time: 0.35, size: 1.02, rssMb: 200 },
  memory: { rssMb: 200 },
}

// Runs a command and reports wall time, CPU time and the peak RSS of the
// child (ru_maxrss of RUSAGE_CHILDREN after it exits), the same way for every tool.
const MEASURE = `
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], cwd=sys.argv[1], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps(dict(wall=wall, rssKb=usage.ru_maxrss, cpu=usage.ru_utime + usage.ru_stime,
                      code=done.returncode, stdout=done.stdout.decode(errors='replace')[-2000:],
                      stderr=done.stderr.decode(errors='replace')[-2000:])))
`

function measure(cwd, command, { allowFailure = false } = {}) {
  const output = execFileSync('python3', ['-c', MEASURE, cwd, ...command], {
    encoding: 'utf8',
    maxBuffer: 16 << 20,
  })
  const result = JSON.parse(output)
  if (result.code !== 0 && !allowFailure) {
    throw new Error(
      `${command.join(' ')} exited with ${result.code}:\n${result.stderr}${result.stdout}`,
    )
  }
  return result
}

const DRIVER = {
  label: 'packwright (core driver)',
  command: (dir, zip) => ['node', driver, dir, zip],
}

/** The CLI is used when it is built and really packages a folder; otherwise the direct driver. */
async function choosePackwright(work) {
  if (existsSync(cli)) {
    const probe = join(work, 'cli-probe')
    await mkdir(probe, { recursive: true })
    await writeFile(join(probe, 'hello.txt'), 'hello\n')
    const out = join(work, 'cli-probe.zip')
    const result = spawnSync('node', [cli, 'generate', probe, '--out', out, '--json'], {
      encoding: 'utf8',
    })
    await rm(probe, { recursive: true, force: true })
    if (result.status === 0 && existsSync(out)) {
      await rm(out, { force: true })
      return {
        cli: true,
        label: 'packwright (CLI)',
        command: (dir, zip) => ['node', cli, 'generate', dir, '--out', zip, '--json'],
      }
    }
  }
  return { cli: false, ...DRIVER }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

async function timeTool(tool, tree, zip) {
  const samples = []
  for (let i = 0; i < runs; i++) {
    await rm(zip, { force: true })
    samples.push(measure(tool.cwd ?? tree, tool.command(tree, zip)))
  }
  const wall = median(samples.map((sample) => sample.wall))
  return {
    tool: tool.label,
    wall,
    cpu: median(samples.map((sample) => sample.cpu)),
    rssMb: Math.max(...samples.map((sample) => sample.rssKb)) / 1024,
    size: (await stat(zip)).size,
  }
}

function verify(zip) {
  const test = spawnSync('unzip', ['-tq', zip], { encoding: 'utf8', maxBuffer: 64 << 20 })
  if (test.status !== 0) throw new Error(`unzip -t failed on ${zip}:\n${test.stdout}${test.stderr}`)
  const python = spawnSync(
    'python3',
    [
      '-c',
      'import sys, zipfile; r = zipfile.ZipFile(sys.argv[1]).testzip(); sys.exit(0 if r is None else 1)',
      zip,
    ],
    { encoding: 'utf8' },
  )
  if (python.status !== 0) throw new Error(`Python testzip failed on ${zip}: ${python.stderr}`)
}

const pad = (value, width) => String(value).padStart(width)
const mb = (bytes) => bytes / 1e6

function printTable(name, inputBytes, rows, goals) {
  const reference = rows.find((row) => row.tool.startsWith('Info-ZIP'))
  console.log(`\n${name}: ${mb(inputBytes).toFixed(0)} MB input`)
  console.log(
    `${'tool'.padEnd(26)}${pad('wall s', 8)}${pad('MB/s', 8)}${pad('CPU s', 8)}${pad('RSS MB', 8)}${pad('zip MB', 9)}${pad('time×', 7)}${pad('size×', 7)}`,
  )
  for (const row of rows) {
    console.log(
      `${row.tool.padEnd(26)}${pad(row.wall.toFixed(2), 8)}${pad((mb(inputBytes) / row.wall).toFixed(0), 8)}${pad(row.cpu.toFixed(2), 8)}${pad(row.rssMb.toFixed(0), 8)}${pad(mb(row.size).toFixed(1), 9)}${pad((row.wall / reference.wall).toFixed(2), 7)}${pad((row.size / reference.size).toFixed(3), 7)}`,
    )
  }
  const ours = rows.find((row) => row.tool.startsWith('packwright'))
  const check = (ok) => (ok ? 'PASS' : 'MISS')
  const timeRatio = ours.wall / reference.wall
  const sizeRatio = ours.size / reference.size
  console.log(
    `goals: time ≤ ${goals.time}× ${check(timeRatio <= goals.time)} (${timeRatio.toFixed(2)}×), ` +
      `size ≤ ${goals.size}× ${check(sizeRatio <= goals.size)} (${sizeRatio.toFixed(3)}×), ` +
      `peak RSS ≤ ${goals.rssMb} MB ${check(ours.rssMb <= goals.rssMb)} (${ours.rssMb.toFixed(0)} MB)`,
  )
  return { timeRatio, sizeRatio, rssMb: ours.rssMb }
}

async function benchTree(name, tree, inputBytes, work, packwright, goals) {
  const tools = [
    packwright,
    // With the CLI, the writer alone is shown too, to separate its cost from reading and selection.
    ...(packwright.cli ? [DRIVER] : []),
    { label: 'Info-ZIP zip -r -6', command: (_dir, zip) => ['zip', '-r', '-6', '-q', zip, '.'] },
  ]
  if (flag('--with-archiver')) {
    tools.push({
      label: 'archiver 8 (level 6)',
      command: (dir, zip) => ['node', archiverDriver, dir, zip],
    })
  }
  const rows = []
  for (const tool of tools) {
    const zip = join(work, `${name}-${rows.length}.zip`)
    rows.push(await timeTool(tool, tree, zip))
    if (tool.label.startsWith('packwright')) verify(zip)
    await rm(zip, { force: true })
  }
  return printTable(name, inputBytes, rows, goals)
}

// The memory cases are larger than the CLI's default package limits, and zeros
// compress far past the ratio readers accept: raise the limits there (the
// writer alone has none), so the CLI writes each zip whole.
const MEMORY_CASES = [
  { name: '(c) 1 GiB of zeros', generate: generateZerosTree },
  { name: '(d) 3 GiB sparse file', generate: generateSparseTree },
  { name: '(e) 200,000 tiny files', generate: generateManyFilesTree },
]
const CLI_LIMIT_FLAGS = [
  '--max-entries',
  '1000000',
  '--max-total-bytes',
  String(16 * 1024 ** 3),
  '--max-compression-ratio',
  String(2 ** 32),
]

/** How a run ended: ok, or the CLI's error code (PACKAGE_LIMIT_EXCEEDED…) from its JSON or text output. */
function outcome(sample) {
  if (sample.code === 0) return 'ok'
  const code = /"code"\s*:\s*"([A-Z_]+)"|error \[([A-Z_]+)\]/.exec(sample.stdout + sample.stderr)
  return `exit ${sample.code}${code === null ? '' : ` ${code[1] ?? code[2]}`}`
}

async function benchMemoryCase(memoryCase, work, packwright) {
  const tree = join(work, 'memory')
  const started = performance.now()
  const generated = await memoryCase.generate(tree)
  console.log(
    `\n${memoryCase.name}: ${generated.files} files, ${mb(generated.bytes).toFixed(0)} MB, generated in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  )
  const tools = [
    ...(packwright.cli
      ? [
          {
            label: packwright.label,
            command: (dir, zip) => [...packwright.command(dir, zip), ...CLI_LIMIT_FLAGS],
          },
        ]
      : []),
    DRIVER,
  ]
  console.log(
    `${'tool'.padEnd(26)}${pad('wall s', 8)}${pad('CPU s', 8)}${pad('RSS MB', 8)}${pad('zip MB', 9)}  goal: peak RSS ≤ ${GOALS.memory.rssMb} MB`,
  )
  const rows = []
  for (const tool of tools) {
    const zip = join(work, 'memory.zip')
    const samples = []
    for (let i = 0; i < runs; i++) {
      await rm(zip, { force: true })
      samples.push(measure(tree, tool.command(tree, zip), { allowFailure: true }))
    }
    const ended = outcome(samples[samples.length - 1])
    const size = existsSync(zip) ? (await stat(zip)).size : undefined
    if (tool === DRIVER) {
      if (ended !== 'ok') throw new Error(`${tool.label} failed:\n${samples.at(-1).stderr}`)
      verify(zip)
    }
    await rm(zip, { force: true })
    const row = {
      tool: tool.label,
      wall: median(samples.map((sample) => sample.wall)),
      cpu: median(samples.map((sample) => sample.cpu)),
      rssMb: Math.max(...samples.map((sample) => sample.rssKb)) / 1024,
      ended,
    }
    rows.push(row)
    console.log(
      `${row.tool.padEnd(26)}${pad(row.wall.toFixed(2), 8)}${pad(row.cpu.toFixed(2), 8)}${pad(row.rssMb.toFixed(0), 8)}${pad(size === undefined ? '-' : mb(size).toFixed(1), 9)}  ` +
        `${row.rssMb <= GOALS.memory.rssMb ? 'PASS' : 'MISS'} (${row.rssMb.toFixed(0)} MB)${ended === 'ok' ? '' : `, ${ended}`}`,
    )
  }
  await rm(tree, { recursive: true, force: true })
  return rows
}

const work = await mkdtemp(join(tmpdir(), 'packwright-bench-'))
try {
  const zipVersion = execFileSync('zip', ['-v'], { encoding: 'utf8' }).split('\n')[1]?.trim()
  console.log(
    `packwright zip bench — ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${zipVersion}, median of ${runs} run(s)`,
  )
  const packwright = await choosePackwright(work)
  console.log(`packwright runs as: ${packwright.label}`)

  const results = {}
  if (!flag('--memory-only')) {
    const small = join(work, 'small')
    let started = performance.now()
    const smallTree = await generateSmallTree(small)
    console.log(
      `generated (a): ${smallTree.files} files, ${mb(smallTree.bytes).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    )
    results.small = await benchTree(
      '(a) 30,000 small text files',
      small,
      smallTree.bytes,
      work,
      packwright,
      GOALS.small,
    )
    await rm(small, { recursive: true, force: true })

    if (!flag('--small-only')) {
      const mixed = join(work, 'mixed')
      started = performance.now()
      const mixedTree = await generateMixedTree(mixed)
      console.log(
        `\ngenerated (b): ${mixedTree.files} files, ${mb(mixedTree.bytes).toFixed(0)} MB in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      )
      results.mixed = await benchTree(
        '(b) mixed tree',
        mixed,
        mixedTree.bytes,
        work,
        packwright,
        GOALS.mixed,
      )
    }
  }

  if (!flag('--small-only') && !flag('--no-memory')) {
    console.log(
      `\nmemory: peak RSS of the whole process (ru_maxrss), goal ≤ ${GOALS.memory.rssMb} MB`,
    )
    results.memory = []
    for (const memoryCase of MEMORY_CASES) {
      results.memory.push(...(await benchMemoryCase(memoryCase, work, packwright)))
    }
  }
} finally {
  if (flag('--keep')) console.log(`\nkept ${work}`)
  else await rm(work, { recursive: true, force: true })
}
