#!/usr/bin/env node
// The packwright action beside actions/upload-artifact, on the same commit of
// the (a) tree of run-bench.mjs (30,000 small text files, ~100 MB), both
// uploading through the real @actions/artifact client to Azurite and the
// Results-service stand-in of the end-to-end tests (test/helpers), in one run:
//
//   action           read the commit from the git object database, write the
//                    deterministic zip, upload it as-is (skipArchive)
//   upload-artifact  uploadArtifact of the listed files at compression level 6
//                    (the client zips them while uploading)
//
// It prints both times and the ratio action / upload-artifact, then where the
// action's time goes: reading the commit from a packed repository (what a
// fresh clone, and so actions/checkout, leaves) and from loose objects (what
// `git add` leaves), git's own share (`ls-tree` with and without sizes, one
// `cat-file --batch` over every blob), and packaging each of them.
//
// Options: --runs N (median of N runs of each timed step, default 1),
// --files N (tree size, default 30,000), --keep (leave the temp folder).
// Needs a build (`pnpm build`) and the test package's dev dependencies (Azurite).
/* global console, performance, process */
import { execFileSync } from 'node:child_process'
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises'
import { register } from 'node:module'
import { cpus, loadavg, tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { createGitRepositoryReader, generatePackage } from '@packwright/core'
import { generateSmallTree } from './generate-trees.mjs'

const here = dirname(fileURLToPath(import.meta.url))
const testHelpers = join(here, '..', 'test', 'helpers')

const args = process.argv.slice(2)
const option = (name, fallback) => {
  const at = args.indexOf(name)
  return at >= 0 ? Math.max(1, Number(args[at + 1]) || fallback) : fallback
}
const runs = option('--runs', 1)
const fileCount = option('--files', 30_000)
const GOAL_RATIO = 0.1

// The services and the artifact client come from the end-to-end test helpers.
register('./typescript-hooks.mjs', import.meta.url)
const helper = (name) => import(pathToFileURL(join(testHelpers, name)).href)
const { startAzurite } = await helper('start-azurite.ts')
const { startResultsService } = await helper('start-results-service.ts')
const { actionDependencyDir } = await helper('action-dependency.ts')
const { actionsRuntimeToken } = await helper('actions-runtime-token.ts')
const { git } = await helper('git.ts')

const seconds = (ms) => (ms / 1000).toFixed(2)
const mb = (bytes) => (bytes / 1e6).toFixed(1)

function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/** Median wall time in ms of `runs` calls of `step(run)`, and the last call's result. */
async function timed(step) {
  const times = []
  let result
  for (let run = 0; run < runs; run++) {
    const started = performance.now()
    result = await step(run)
    times.push(performance.now() - started)
  }
  return { ms: median(times), result }
}

/** Runs `work` with the artifact client's `::debug::` and info lines kept off the terminal. */
async function quietly(work) {
  const write = process.stdout.write
  let captured = ''
  process.stdout.write = (chunk, ...rest) => {
    captured += String(chunk)
    const callback = rest.find((value) => typeof value === 'function')
    if (callback !== undefined) callback()
    return true
  }
  try {
    return await work()
  } catch (error) {
    console.error(captured.slice(-4000))
    throw error
  } finally {
    process.stdout.write = write
  }
}

async function listFiles(root, folder = '') {
  const files = []
  for (const entry of await readdir(join(root, folder), { withFileTypes: true })) {
    if (folder === '' && entry.name === '.git') continue
    const path = folder === '' ? entry.name : `${folder}/${entry.name}`
    if (entry.isDirectory()) files.push(...(await listFiles(root, path)))
    else files.push(join(root, path))
  }
  return files
}

/** Reads every blob of the commit through the reader, a batch at a time as the zip writer does. */
async function readCommit(repoDir, rev) {
  const reader = await createGitRepositoryReader({ repoDir, rev })
  const opened = performance.now()
  try {
    const files = (await reader.list('')).filter((entry) => entry.kind === 'file')
    let bytes = 0
    for (let i = 0; i < files.length; i += 256) {
      const batch = files.slice(i, i + 256).map((entry) => reader.readBytes(entry.path))
      for (const content of await Promise.all(batch)) bytes += content.length
    }
    return { opened, bytes }
  } finally {
    await reader.close()
  }
}

function gitTime(repoDir, gitArgs, input) {
  const started = performance.now()
  execFileSync('git', ['-C', repoDir, ...gitArgs], {
    input,
    maxBuffer: 1 << 30,
    stdio: ['pipe', 'ignore', 'inherit'],
  })
  return performance.now() - started
}

const work = await mkdtemp(join(tmpdir(), 'packwright-action-bench-'))
let azurite
let results
try {
  console.log(
    `packwright action bench — ${new Date().toISOString()}, Node ${process.version}, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ${execFileSync('git', ['--version'], { encoding: 'utf8' }).trim()}, median of ${runs} run(s)`,
  )
  const loose = join(work, 'loose')
  const packed = join(work, 'packed')
  let started = performance.now()
  const tree = await generateSmallTree(loose, { files: fileCount })
  await git(loose, 'init', '--quiet', '--initial-branch=main')
  await git(loose, 'add', '--all')
  // No background `gc --auto`: the loose objects must stay loose.
  await git(loose, 'config', 'gc.auto', '0')
  await git(loose, 'commit', '--quiet', '-m', 'bench tree')
  const sha = await git(loose, 'rev-parse', 'HEAD')
  // A fresh clone holds the commit in one pack, as actions/checkout leaves it.
  await git(work, 'clone', '--quiet', '--no-local', loose, packed)
  console.log(
    `tree: ${tree.files} files, ${mb(tree.bytes)} MB, committed (loose objects) and cloned (packed) in ${seconds(performance.now() - started)} s`,
  )

  started = performance.now()
  azurite = await startAzurite()
  results = await startResultsService({ blobEndpoint: azurite.blobEndpoint })
  console.log(
    `Azurite and the Results stand-in up in ${seconds(performance.now() - started)} s (load average ${loadavg()[0].toFixed(1)})`,
  )
  process.env.ACTIONS_RUNTIME_TOKEN = actionsRuntimeToken('bench-run', 'bench-job')
  process.env.ACTIONS_RESULTS_URL = results.url
  process.env.GITHUB_SERVER_URL = 'https://github.com'
  const artifactMain = join(actionDependencyDir('@actions/artifact'), 'lib', 'artifact.js')
  const { DefaultArtifactClient } = await import(pathToFileURL(artifactMain).href)
  const client = new DefaultArtifactClient()

  // (a) the action: commit → deterministic zip → upload as-is.
  const outDir = join(work, 'out')
  await mkdir(outDir)
  let packagedAt = 0
  const action = await timed(async (run) => {
    const zip = join(outDir, `action-${run}.zip`)
    const begun = performance.now()
    const pkg = await generatePackage({
      source: { kind: 'git', repoDir: packed, rev: sha, path: '' },
      outFile: zip,
      mode: 'directory',
      compressionLevel: 6,
    })
    packagedAt = performance.now() - begun
    const uploaded = await quietly(() =>
      client.uploadArtifact(`action-${run}.zip`, [zip], outDir, { skipArchive: true }),
    )
    if (uploaded.digest !== pkg.sha256) throw new Error('the artifact digest is not the package’s')
    return { size: pkg.size, sha256: pkg.sha256, entries: pkg.entries.length }
  })

  // (b) upload-artifact: the client zips the listed files at level 6 as it uploads.
  const listed = await listFiles(packed)
  const uploadArtifact = await timed((run) =>
    quietly(() =>
      client.uploadArtifact(`upload-artifact-${run}`, listed, packed, { compressionLevel: 6 }),
    ),
  )

  const ratio = action.ms / uploadArtifact.ms
  console.log(`\n(a) vs upload-artifact: ${listed.length} files, ${mb(tree.bytes)} MB`)
  console.log(`${'step'.padEnd(50)}${'wall s'.padStart(8)}${'zip MB'.padStart(9)}`)
  console.log(
    `${'action: package from git (packed) + upload'.padEnd(50)}${seconds(action.ms).padStart(8)}${mb(action.result.size).padStart(9)}`,
  )
  console.log(`${'  of which packaging (last run)'.padEnd(50)}${seconds(packagedAt).padStart(8)}`)
  console.log(
    `${'upload-artifact: uploadArtifact, level 6'.padEnd(50)}${seconds(uploadArtifact.ms).padStart(8)}${mb(uploadArtifact.result.size ?? 0).padStart(9)}`,
  )
  console.log(
    `ratio action / upload-artifact: ${ratio.toFixed(2)}× — goal ≤ ${GOAL_RATIO}× ${ratio <= GOAL_RATIO ? 'PASS' : 'MISS'}`,
  )
  await results.close()
  results = undefined
  await azurite.stop()
  azurite = undefined

  // Where the action's time goes, packed against loose objects.
  console.log(`\nreading commit ${sha.slice(0, 12)}: packed (fresh clone) vs loose objects`)
  console.log(`${'step'.padEnd(50)}${'packed s'.padStart(10)}${'loose s'.padStart(10)}`)
  const row = (label, packedMs, looseMs) =>
    console.log(
      `${label.padEnd(50)}${seconds(packedMs).padStart(10)}${seconds(looseMs).padStart(10)}`,
    )
  const both = async (measure) => [
    (await timed(() => measure(packed))).ms,
    (await timed(() => measure(loose))).ms,
  ]
  row(
    'git ls-tree -r -l (sizes: reads every blob header)',
    ...(await both((repo) => gitTime(repo, ['ls-tree', '-r', '-z', '-l', '--full-tree', sha]))),
  )
  row(
    'git ls-tree -r (no sizes)',
    ...(await both((repo) => gitTime(repo, ['ls-tree', '-r', '-z', '--full-tree', sha]))),
  )
  const blobIds = (repo) =>
    execFileSync('git', ['-C', repo, 'ls-tree', '-r', sha], {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    })
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => `${line.split('\t')[0].split(' ')[2]}\n`)
      .join('')
  row(
    'git cat-file --batch, every blob (git alone)',
    ...(await both((repo) => gitTime(repo, ['cat-file', '--batch'], blobIds(repo)))),
  )
  const opens = []
  const reads = await both(async (repo) => {
    const begun = performance.now()
    const { opened } = await readCommit(repo, sha)
    opens.push(opened - begun)
  })
  row(
    'reader: open (rev-parse, ls-tree, index)',
    median(opens.slice(0, runs)),
    median(opens.slice(runs)),
  )
  row('reader: open + every blob, 256 requests at a time', ...reads)
  const packages = []
  const generated = await both(async (repo) => {
    const pkg = await generatePackage({
      source: { kind: 'git', repoDir: repo, rev: sha, path: '' },
      outFile: join(outDir, 'local.zip'),
      mode: 'directory',
      compressionLevel: 6,
    })
    packages.push(pkg.sha256)
  })
  row('generatePackage (read + deterministic zip)', ...generated)
  if (new Set([...packages, action.result.sha256]).size !== 1) {
    throw new Error(`packed and loose packages differ: ${[...new Set(packages)].join(' ')}`)
  }
  console.log(
    `same sha256 from packed and loose objects: ${action.result.sha256} (${action.result.entries} entries, ${(await stat(join(outDir, 'local.zip'))).size} bytes)`,
  )
  console.log(
    `load average at the end: ${loadavg()
      .map((value) => value.toFixed(1))
      .join(' ')}`,
  )
} finally {
  await results?.close()
  await azurite?.stop()
  if (args.includes('--keep')) console.log(`\nkept ${work}`)
  else await rm(work, { recursive: true, force: true, maxRetries: 3 })
}
