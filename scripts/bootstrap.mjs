#!/usr/bin/env node
// Entry point for the README's commands. It needs only Node >= 20 and npm:
// it finds (or fetches through npx) the pinned pnpm, installs the locked
// dependencies, builds, and then runs the requested job.
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const [major, minor] = process.versions.node.split('.').map(Number)
if (major < 20 || (major === 20 && minor < 15)) {
  process.stderr.write(`packwright needs Node.js 20.15 or newer; this is ${process.version}.\n`)
  process.exit(1)
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
const pnpmVersion = manifest.packageManager.replace(/^pnpm@/, '')
const env = { ...process.env, TURBO_TELEMETRY_DISABLED: '1', DO_NOT_TRACK: '1' }

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env, ...options })
  if (result.error) throw result.error
  if (result.status !== 0) {
    process.stderr.write(`\nfailed (exit ${result.status}): ${command} ${args.join(' ')}\n`)
    process.exit(result.status ?? 1)
  }
}

function succeeds(command, args) {
  const result = spawnSync(command, args, { cwd: root, encoding: 'utf8', env })
  return result.status === 0 ? result.stdout.trim() : undefined
}

function pnpm() {
  if (succeeds('pnpm', ['--version']) === pnpmVersion) return ['pnpm']
  return ['npx', '--yes', `pnpm@${pnpmVersion}`]
}

/** The zip tests check our output with Info-ZIP; install it when we can. */
function ensureInfoZip() {
  const missing = ['zip', 'unzip'].filter(
    (tool) => succeeds('sh', ['-c', `command -v ${tool}`]) === undefined,
  )
  if (missing.length === 0) return
  if (process.getuid?.() !== 0) {
    process.stderr.write(
      `missing ${missing.join(', ')}: install Info-ZIP (e.g. apt-get install zip unzip)\n`,
    )
    process.exit(1)
  }
  run('apt-get', ['update', '-qq'])
  run('apt-get', ['install', '-y', '-qq', 'zip', 'unzip'], {
    env: { ...env, DEBIAN_FRONTEND: 'noninteractive' },
  })
}

const job = process.argv[2]
const [cmd, ...pre] = pnpm()
const p = (...args) => run(cmd, [...pre, ...args])

p('install', '--frozen-lockfile')
switch (job) {
  case 'demo':
    p('exec', 'turbo', 'run', 'build', '--filter=@packwright/cli...')
    // Serve, push the example twice, show what each push sent, stop the server.
    run('node', ['scripts/push-demo.mjs'])
    break
  case 'bench':
    ensureInfoZip()
    p('exec', 'turbo', 'run', 'build', '--filter=@packwright/bench...')
    p('--filter', '@packwright/bench', 'run', 'bench', ...process.argv.slice(3))
    break
  case 'test':
    ensureInfoZip()
    p('exec', 'turbo', 'run', 'build')
    p('exec', 'prettier', '--check', '.')
    p('exec', 'turbo', 'run', 'typecheck', 'lint')
    p('exec', 'turbo', 'run', 'test', '--concurrency=1')
    break
  default:
    process.stderr.write('usage: node scripts/bootstrap.mjs demo|test|bench\n')
    process.exit(2)
}
