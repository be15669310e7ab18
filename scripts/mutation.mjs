#!/usr/bin/env node
// `pnpm mutation`: Stryker on every package that has a stryker.config.mjs, one
// package after the other. Scope a run to what you are working on:
//
//   pnpm mutation                                       everything, incrementally
//   pnpm mutation packages/core/src/matching            one folder (or a file, or a glob)
//   pnpm mutation --mutate 'packages/core/src/zip/read/**'
//   pnpm mutation --since origin/main                   source files changed since a ref
//   pnpm mutation --force                               ignore the incremental results
//   pnpm mutation --since origin/main --list            print the Stryker commands, run nothing
//
// Other options go to Stryker unchanged (e.g. --concurrency 1). Each scope keeps
// its own incremental result file under <package>/reports/mutation/, next to
// its HTML and JSON reports, so a folder run does not throw away the results of
// the full run. Exits non-zero when a package scores under its break threshold.
import { spawnSync } from 'node:child_process'
import { existsSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import process from 'node:process'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const PACKAGES = ['packages/core', 'packages/action']
const STRYKER = join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js')

function fail(message) {
  process.stderr.write(`mutation: ${message}\n`)
  process.exit(2)
}

/** Splits the command line into scopes, a --since ref and options passed on to Stryker. */
function parseArguments(args) {
  const scopes = []
  const passOn = []
  let since
  let list = false
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    if (arg === '--') continue
    if (arg === '--list') {
      list = true
      continue
    }
    if (arg === '--mutate' || arg === '-m' || arg === '--since') {
      const value = args[++i]
      if (value === undefined || value === '') fail(`${arg} needs a value`)
      if (arg === '--since') since = value
      else scopes.push(...value.split(','))
    } else if (arg.startsWith('--mutate=')) {
      scopes.push(...arg.slice('--mutate='.length).split(','))
    } else if (arg.startsWith('--since=')) {
      since = arg.slice('--since='.length)
    } else if (arg.startsWith('-')) {
      passOn.push(arg)
      // A value that follows an option belongs to it (--concurrency 1).
      if (args[i + 1] !== undefined && !args[i + 1].startsWith('-')) passOn.push(args[++i])
    } else {
      scopes.push(arg)
    }
  }
  if (since !== undefined && scopes.length > 0) fail('give --since or folders to mutate, not both')
  return { scopes, since, passOn, list }
}

/** A folder becomes every TypeScript file below it; files and globs stay as they are. */
function expandScope(scope) {
  const trimmed = scope.replace(/\/+$/, '')
  const full = join(root, trimmed)
  if (!/[*?{[]/.test(trimmed) && existsSync(full) && statSync(full).isDirectory()) {
    return `${trimmed}/**/*.ts`
  }
  return trimmed
}

/** A small glob matcher for Stryker's patterns: `**`, `*` and `?`. */
function globToRegExp(glob) {
  let source = ''
  for (let i = 0; i < glob.length; i++) {
    const char = glob[i]
    if (char === '*' && glob[i + 1] === '*') {
      source += glob[i + 2] === '/' ? '(?:.*/)?' : '.*'
      i += glob[i + 2] === '/' ? 2 : 1
    } else if (char === '*') source += '[^/]*'
    else if (char === '?') source += '[^/]'
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&')
  }
  return new RegExp(`^${source}$`)
}

/** True when `file` (relative to the package) is in the package's configured mutate set. */
function isMutated(file, mutate) {
  let included = false
  for (const pattern of mutate) {
    if (pattern.startsWith('!')) {
      if (globToRegExp(pattern.slice(1)).test(file)) included = false
    } else if (globToRegExp(pattern.replace(/:\d+(?::\d+)?-\d+(?::\d+)?$/, '')).test(file)) {
      included = true
    }
  }
  return included
}

function changedSince(ref) {
  const git = (args) => {
    const result = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
    if (result.status !== 0) fail(`git ${args.join(' ')} failed: ${result.stderr.trim()}`)
    return result.stdout.split('\n').filter((line) => line !== '')
  }
  const known = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], {
    cwd: root,
  })
  if (known.status !== 0)
    fail(`--since ${JSON.stringify(ref)} is not a commit; expected e.g. origin/main`)
  return [
    ...git(['diff', '--name-only', '--diff-filter=ACMR', ref, '--']),
    ...git(['ls-files', '--others', '--exclude-standard']),
  ]
}

/** The slug naming a scope's report folder: `all`, `since`, or the scope's folders. */
function scopeName(scopes, since) {
  if (since !== undefined) return 'since'
  if (scopes.length === 0) return 'all'
  return scopes
    .filter((scope) => !scope.startsWith('!'))
    .map((scope) => scope.replace(/^src\//, '').replace(/\/?\*\*\/\*\.ts$|\/?\*\*$/, ''))
    .join('+')
    .replace(/[^\w.+-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80)
}

const { scopes, since, passOn, list } = parseArguments(process.argv.slice(2))
const expanded = scopes.map(expandScope)
for (const scope of expanded) {
  const bare = scope.replace(/^!/, '')
  if (!PACKAGES.some((pkg) => bare.startsWith(`${pkg}/`))) {
    fail(
      `${JSON.stringify(scope)} is not inside ${PACKAGES.join(' or ')}; expected e.g. packages/core/src/matching`,
    )
  }
}
const changed = since === undefined ? [] : changedSince(since)

let failed = false
for (const pkg of PACKAGES) {
  const configFile = join(root, pkg, 'stryker.config.mjs')
  const config = (await import(pathToFileURL(configFile).href)).default
  const exclusions = config.mutate.filter((pattern) => pattern.startsWith('!'))
  let mutate
  if (since !== undefined) {
    mutate = changed
      .filter((file) => file.startsWith(`${pkg}/`))
      .map((file) => file.slice(pkg.length + 1))
      .filter((file) => isMutated(file, config.mutate))
    if (mutate.length === 0) {
      process.stdout.write(`mutation: ${pkg}: no mutated source changed since ${since}\n`)
      continue
    }
  } else if (scopes.length > 0) {
    mutate = expanded
      .filter((scope) => scope.replace(/^!/, '').startsWith(`${pkg}/`))
      .map((scope) => scope.replace(`${pkg}/`, ''))
    if (mutate.length === 0) continue
    mutate.push(...exclusions)
  }
  const name = scopeName(mutate ?? [], since)
  const reports = `reports/mutation/${name}`
  const args = [
    STRYKER,
    'run',
    ...(mutate === undefined ? [] : ['--mutate', mutate.join(',')]),
    ...passOn,
  ]
  process.stdout.write(`mutation: ${pkg} (${name}): stryker ${args.slice(1).join(' ')}\n`)
  if (list) continue
  const result = spawnSync(process.execPath, args, {
    cwd: join(root, pkg),
    stdio: 'inherit',
    env: { ...process.env, MUTATION_REPORT_DIR: reports },
  })
  if (result.error) throw result.error
  if (result.status !== 0) failed = true
}
process.exit(failed ? 1 : 0)
