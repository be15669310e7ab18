#!/usr/bin/env node
// Measures `packwright generate` (the built CLI) on hostile directory trees:
// (a) links that repeat folders 3x per level when followed (12 levels, ~50 KB on disk),
// (b) exclude globs and ignore-file rules that make backtracking matchers
//     take exponential time, against 45- and 4,000-character names.
// Prints wall time, peak RSS of the child and how each run ended.
// Options: --keep (leave the temp folder for inspection).
/* global console, process */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const cli = join(here, '..', 'packages/cli/dist/main.js')
if (!existsSync(cli)) {
  console.error(`build the CLI first (${cli} is missing)`)
  process.exit(1)
}

const MEASURE = `
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps(dict(wall=wall, rssKb=usage.ru_maxrss, code=done.returncode,
                      stderr=done.stderr.decode(errors='replace')[-600:])))
`

function measure(label, args) {
  const result = JSON.parse(
    execFileSync('python3', ['-c', MEASURE, 'node', cli, 'generate', ...args], {
      encoding: 'utf8',
    }),
  )
  const code = /\[([A-Z_]+)\]/.exec(result.stderr)?.[1] ?? (result.code === 0 ? 'ok' : 'failed')
  console.log(
    `${label.padEnd(58)} ${result.wall.toFixed(2).padStart(7)} s ${(result.rssKb / 1024).toFixed(0).padStart(6)} MB  exit ${result.code} ${code}`,
  )
  return result
}

const work = await mkdtemp(join(tmpdir(), 'packwright-adversarial-'))
try {
  const tree = join(work, 'amplify')
  for (let level = 0; level < 12; level++) {
    await mkdir(join(tree, `L${level}`), { recursive: true })
    await writeFile(join(tree, `L${level}`, 'data.txt'), 'x'.repeat(4000))
    if (level === 11) continue
    for (const link of ['a', 'b', 'c']) {
      await symlink(`../L${level + 1}`, join(tree, `L${level}`, link))
    }
  }
  measure('(a) amplifying links, --follow-symlinks', [
    tree,
    '--follow-symlinks',
    '--out',
    join(work, 'amplify.zip'),
  ])

  const names = join(work, 'names')
  await mkdir(names)
  await writeFile(join(names, 'a'.repeat(45)), '')
  await writeFile(join(names, 'a'.repeat(250)), '')
  await writeFile(join(names, 'keep.txt'), 'kept\n')
  const stars = '*a*a*a*a*a*a*a*a*a*a*b'
  measure(`(b) --exclude '${stars}'`, [names, '--exclude', stars, '--out', join(work, 'b1.zip')])
  measure("(b) --exclude '*a' x40 + 'b'", [
    names,
    '--exclude',
    `${'*a'.repeat(40)}b`,
    '--out',
    join(work, 'b2.zip'),
  ])
  const ignored = join(work, 'ignored')
  await mkdir(ignored)
  await writeFile(join(ignored, 'a'.repeat(250)), '')
  await writeFile(join(ignored, 'keep.txt'), 'kept\n')
  const rules = [stars, ...Array.from({ length: 10_000 }, (_, index) => `${stars}${index}`)]
  await writeFile(join(ignored, '.packwrightignore'), `${rules.join('\n')}\n`)
  measure('(b) .packwrightignore: 10,001 rules like the one above', [
    ignored,
    '--out',
    join(work, 'b3.zip'),
  ])

  const deep = join(work, 'deep')
  const chain = join(deep, ...Array.from({ length: 200 }, () => 'a'))
  await mkdir(chain, { recursive: true })
  await writeFile(join(chain, 'file.txt'), 'deep\n')
  await writeFile(join(deep, '.packwrightignore'), '**/a/**/a/**/a/**/a/**/a/**/b\n')
  measure("(b) .packwrightignore '**/a/**/a/**/a/**/a/**/a/**/b', 200 folders deep", [
    deep,
    '--out',
    join(work, 'b4.zip'),
  ])

  const huge = join(work, 'huge-ignore')
  await mkdir(huge)
  await writeFile(join(huge, 'a'.repeat(250)), '')
  await writeFile(join(huge, 'keep.txt'), 'kept\n')
  const many = []
  for (let size = 0, index = 0; size < 1000 * 1024; index++) {
    many.push(`${stars}${index}`)
    size += stars.length + String(index).length + 1
  }
  await writeFile(join(huge, '.packwrightignore'), `${many.join('\n')}\n`)
  measure(`(b) .packwrightignore of ~1 MB: ${many.length} such rules`, [
    huge,
    '--out',
    join(work, 'b5.zip'),
  ])
} finally {
  if (process.argv.includes('--keep')) console.log(`kept ${work}`)
  else await rm(work, { recursive: true, force: true })
}
