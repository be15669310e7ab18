import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { afterAll, describe, expect, it } from 'vitest'
import { type ServeProcess, startPackwrightServe } from './helpers/packwright-serve.js'

const run = promisify(execFile)
const root = fileURLToPath(new URL('..', import.meta.url))
const readme = readFileSync(join(root, 'README.md'), 'utf8')

/** The README's command-line section: from its heading to the next one of its level. */
function commandLineSection(): string {
  const start = readme.indexOf('\n## The command line\n')
  expect(start).toBeGreaterThan(0)
  const end = readme.indexOf('\n## ', start + 1)
  return readme.slice(start, end < 0 ? undefined : end)
}

/** Every line of the section's `sh` blocks: the commands a reader is told to run. */
function shownCommands(): string[] {
  const commands: string[] = []
  for (const block of commandLineSection().matchAll(/```sh\n([\s\S]*?)```/g)) {
    for (const line of block[1]!.split('\n')) {
      if (line.trim() !== '' && !line.trim().startsWith('#')) commands.push(line.trim())
    }
  }
  return commands
}

/** The files the commands write under out/, removed afterwards. */
function writtenFiles(commands: readonly string[]): string[] {
  return commands.flatMap((command) => [...command.matchAll(/--out (\S+)/g)].map((m) => m[1]!))
}

const commands = shownCommands()
const servers: ServeProcess[] = []
const folders: string[] = []

afterAll(async () => {
  for (const server of servers) await server.stop('SIGTERM')
  for (const folder of folders) await rm(folder, { recursive: true, force: true })
  for (const file of writtenFiles(commands)) await rm(join(root, file), { force: true })
})

/**
 * A command as the test runs it. One that pushes to the README's server
 * (`--server http://127.0.0.1:8080`) goes to a `packwright serve` this test
 * starts on a free port with the command's token: the port is the only
 * change, so that the test never depends on a port being free.
 */
async function runnable(command: string): Promise<string> {
  const server = /--server (http:\/\/127\.0\.0\.1:\d+)/.exec(command)?.[1]
  if (server === undefined) return command
  const token = /(?:^| )PACKWRIGHT_TOKEN=(\S+) /.exec(command)?.[1] ?? 'readme-token'
  const data = await mkdtemp(join(tmpdir(), 'packwright-readme-serve-'))
  folders.push(data)
  const started = await startPackwrightServe(data, token)
  servers.push(started)
  return command.replaceAll(server, started.url)
}

describe('the README’s command-line section', () => {
  it('shows commands to run, each through a way that works after the quick start', () => {
    expect(commands.length).toBeGreaterThanOrEqual(3)
    for (const command of commands) {
      expect(command).toMatch(/^(?:[A-Z_]+=\S+ )*npm run -s packwright -- /)
    }
  })

  it('runs command by command from the repository root, as written', async () => {
    const outputs: string[] = []
    for (const command of commands) {
      const result = await run('sh', ['-c', await runnable(command)], {
        cwd: root,
        encoding: 'utf8',
      }).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
        throw new Error(
          `\`${command}\` failed (exit ${error.code}): ${error.stderr ?? ''}${error.stdout ?? ''}`,
        )
      })
      expect(result.stderr, command).toBe('')
      outputs.push(result.stdout)
    }
    for (const [index, command] of commands.entries()) {
      const stdout = outputs[index]!
      if (/ inspect /.test(command)) expect(stdout, command).toContain('verdict: valid')
      if (/ verify /.test(command)) expect(stdout, command).toMatch(/^verdict: identical /)
      if (/ --json\b/.test(command)) {
        const parsed = JSON.parse(stdout) as { sha256: string; entries: { path: string }[] }
        expect(parsed.sha256).toMatch(/^[0-9a-f]{64}$/)
        expect(parsed.entries.length).toBeGreaterThan(0)
      }
      if (/ --help\b/.test(command)) expect(stdout, command).toMatch(/^Usage: packwright /)
      if (/ push /.test(command) && !/--json/.test(command)) {
        expect(stdout, command).toMatch(/^pushed \d+ files? to app /)
      }
      if (/ generate /.test(command) && !/--json|--help/.test(command)) {
        expect(stdout, command).toMatch(/^packaged \d+ files? /)
      }
    }
  })
})

describe('the packwright command of the CLI package', () => {
  it('is a committed file, so that installing a fresh clone can link it before any build', async () => {
    const manifest = JSON.parse(readFileSync(join(root, 'packages/cli/package.json'), 'utf8')) as {
      bin: Record<string, string>
    }
    const target = manifest.bin.packwright!
    const { stdout } = await run('git', ['ls-files', '--error-unmatch', target], {
      cwd: join(root, 'packages/cli'),
      encoding: 'utf8',
    })
    expect(stdout.trim()).toBe(target.replace(/^\.\//, ''))
  })

  it('is what the root package’s packwright script runs', () => {
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(manifest.scripts.packwright).toBe('node packages/cli/bin/packwright.js')
  })
})
