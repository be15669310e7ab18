import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { type ExpectStatic, afterAll, beforeAll, describe, it } from 'vitest'
import { git } from './helpers/git.js'
import { listProcessGroup } from './helpers/list-process-group.js'
import { CLI_PATH } from './helpers/packwright-cli.js'
import {
  type StallingGitHubApi,
  startStallingGitHubApi,
} from './helpers/start-stalling-github-api.js'

const SIGNALS = [
  { signal: 'SIGINT', code: 130 },
  { signal: 'SIGTERM', code: 143 },
  { signal: 'SIGHUP', code: 129 },
] as const

/** Two incompressible 50 MiB files: packaging them takes the CLI most of a second. */
const FILE_COUNT = 2
const FILE_BYTES = 50 * 1024 * 1024
const PREVIOUS_PACKAGE = Buffer.from('the package of an earlier run, which must survive\n')

interface Exit {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
  readonly stdout: string
  readonly stderr: string
}

interface Started {
  readonly child: ChildProcess
  readonly pid: number
  readonly exited: Promise<Exit>
  /** True once the process has exited. */
  hasExited(): boolean
  /** What it has printed on stdout so far. */
  stdoutSoFar(): string
}

let work: string
let treeDir: string
let sha: string
const started: Started[] = []

/** Starts a node process as the leader of its own process group, so its children can be found. */
function startNode(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): Started {
  const child = spawn(process.execPath, args, {
    cwd,
    detached: true,
    env: { ...process.env, ...env },
  })
  let stdout = ''
  let stderr = ''
  let done = false
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<Exit>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => {
      done = true
      resolve({ code, signal, stdout, stderr })
    })
  })
  if (child.pid === undefined) throw new Error('the process did not start')
  const run = { child, pid: child.pid, exited, hasExited: () => done, stdoutSoFar: () => stdout }
  started.push(run)
  return run
}

/** Polls every few milliseconds until `check` holds; fails if the run ends first. */
async function waitUntil(run: Started, what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!(await check())) {
    if (run.hasExited()) {
      const exit = await run.exited
      throw new Error(`the process ended (${exit.code}) before ${what}: ${exit.stderr}`)
    }
    if (Date.now() > deadline) throw new Error(`not within 10 s: ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** True when process `pid` has `path` open. */
async function hasOpen(pid: number, path: string): Promise<boolean> {
  const fds = await readdir(`/proc/${pid}/fd`).catch(() => [])
  const targets = await Promise.all(
    fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')),
  )
  return targets.includes(path)
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-cli-signals-'))
  // One folder serves as the directory source and, committed, as the git source
  // (directory mode never packages .git).
  treeDir = join(work, 'tree')
  await mkdir(treeDir)
  for (let i = 0; i < FILE_COUNT; i++) {
    await writeFile(join(treeDir, `blob-${i}.bin`), randomBytes(FILE_BYTES))
  }
  await git(treeDir, 'init', '--quiet', '--initial-branch=main')
  // Stored loose objects: committing 100 MB takes a moment instead of many.
  await git(treeDir, '-c', 'core.compression=0', 'add', '--all')
  await git(treeDir, 'commit', '--quiet', '-m', 'big files')
  sha = await git(treeDir, 'rev-parse', 'HEAD')
})

afterAll(async () => {
  // Whatever a failed test left running.
  for (const run of started) {
    if (run.hasExited()) continue
    try {
      process.kill(-run.pid, 'SIGKILL')
    } catch {
      // already gone
    }
    await run.exited
  }
  await rm(work, { recursive: true, force: true })
})

/**
 * Starts `generate <source> --out <fresh folder>/package.zip`, sends `signal`
 * once the temp file exists, and returns how the run ended and what is left.
 */
async function interruptGenerate(
  source: string,
  signal: NodeJS.Signals,
  options: {
    previous?: Buffer
    /** Signal the CLI's whole process group, as a terminal does on Ctrl-C. */
    signalGroup?: boolean
    extraArgs?: readonly string[]
    env?: NodeJS.ProcessEnv
    beforeSignal?: (run: Started) => Promise<void>
  } = {},
) {
  const outDir = await mkdtemp(join(work, 'out-'))
  const outFile = join(outDir, 'package.zip')
  if (options.previous !== undefined) await writeFile(outFile, options.previous)
  const run = startNode(
    [CLI_PATH, 'generate', source, '--out', outFile, ...(options.extraArgs ?? [])],
    work,
    options.env,
  )
  await waitUntil(run, 'a .partial file appeared', async () =>
    (await readdir(outDir)).some((name) => name.endsWith('.partial')),
  )
  await options.beforeSignal?.(run)
  process.kill(options.signalGroup === true ? -run.pid : run.pid, signal)
  const exit = await run.exited
  return {
    exit,
    left: (await readdir(outDir)).sort(),
    outFile,
    groupAfterExit: await listProcessGroup(run.pid),
  }
}

function expectInterrupted(expect: ExpectStatic, exit: Exit, signal: string, code: number): void {
  expect(exit.signal).toBeNull()
  expect(exit.code).toBe(code)
  expect(exit.stderr).toBe(`error [ABORTED]: interrupted by ${signal}\n`)
  expect(exit.stdout).toBe('')
}

describe.concurrent('packwright generate interrupted by a signal', () => {
  it.for(SIGNALS)(
    'from a folder, $signal: exits $code and leaves no temp file and no zip',
    async ({ signal, code }, { expect }) => {
      const { exit, left } = await interruptGenerate(treeDir, signal)
      expectInterrupted(expect, exit, signal, code)
      expect(left).toEqual([])
    },
  )

  it('from a folder: an existing zip at --out is left byte for byte as it was', async ({
    expect,
  }) => {
    const { exit, left, outFile } = await interruptGenerate(treeDir, 'SIGINT', {
      previous: PREVIOUS_PACKAGE,
    })
    expectInterrupted(expect, exit, 'SIGINT', 130)
    expect(left).toEqual(['package.zip'])
    expect((await readFile(outFile)).equals(PREVIOUS_PACKAGE)).toBe(true)
  })

  it.for(SIGNALS)(
    'from a git commit, $signal: exits $code, leaves the existing zip alone and no git cat-file behind',
    async ({ signal, code }, { expect }) => {
      let groupBeforeSignal: string[] = []
      const { exit, left, outFile, groupAfterExit } = await interruptGenerate(
        `git:${treeDir}#${sha}`,
        signal,
        {
          previous: PREVIOUS_PACKAGE,
          beforeSignal: async (run) => {
            groupBeforeSignal = (await listProcessGroup(run.pid)).map((p) => p.command)
          },
        },
      )
      // The reader's git process was running when the signal came…
      expect(groupBeforeSignal).toContain('git')
      expectInterrupted(expect, exit, signal, code)
      // …and nothing of the CLI's process group outlives it.
      expect(groupAfterExit).toEqual([])
      expect(left).toEqual(['package.zip'])
      expect((await readFile(outFile)).equals(PREVIOUS_PACKAGE)).toBe(true)
    },
  )
})

describe.concurrent('packwright generate interrupted by Ctrl-C at a terminal', () => {
  it('SIGINT to the whole process group, git included, still ends as an interruption', async ({
    expect,
  }) => {
    const { exit, left, groupAfterExit } = await interruptGenerate(
      `git:${treeDir}#${sha}`,
      'SIGINT',
      {
        previous: PREVIOUS_PACKAGE,
        signalGroup: true,
      },
    )
    expectInterrupted(expect, exit, 'SIGINT', 130)
    expect(groupAfterExit).toEqual([])
    expect(left).toEqual(['package.zip'])
  })
})

describe.concurrent('packwright generate from GitHub interrupted by a signal', () => {
  let api: StallingGitHubApi
  beforeAll(async () => {
    api = await startStallingGitHubApi({
      owner: 'acme',
      repo: 'big',
      path: 'data/big.bin',
      size: FILE_BYTES,
      headBytes: 4096,
    })
  })
  afterAll(() => api.close())

  it('SIGTERM cancels a download that would never finish: exits 143 at once, nothing left', async ({
    expect,
  }) => {
    const { exit, left } = await interruptGenerate(
      `github:acme/big/${api.commitSha}/data`,
      'SIGTERM',
      {
        extraArgs: ['--github-api-url', api.url],
        env: { GITHUB_TOKEN: 'signals-fixture-token' },
        beforeSignal: () => api.blobStarted,
      },
    )
    // Had the abort not reached the download, the run would still be waiting
    // for bytes when the cleanup bound ran out, and say so.
    expectInterrupted(expect, exit, 'SIGTERM', 143)
    expect(left).toEqual([])
  })
})

describe.concurrent('packwright inspect interrupted by a signal', () => {
  it('stops validating and exits 130 without printing a report', async ({ expect }) => {
    const zip = join(work, 'inspected.zip')
    const generated = startNode([CLI_PATH, 'generate', treeDir, '--out', zip, '--json'], work)
    expect((await generated.exited).code).toBe(0)
    const run = startNode([CLI_PATH, 'inspect', zip], work)
    await waitUntil(run, 'inspect opened the zip', () => hasOpen(run.pid, zip))
    process.kill(run.pid, 'SIGINT')
    expectInterrupted(expect, await run.exited, 'SIGINT', 130)
  })
})

describe.concurrent('cleanup after a signal', () => {
  const HANDLER_URL = pathToFileURL(join(dirname(CLI_PATH), 'handle-termination-signals.js')).href

  /** A process whose run ignores the abort and never finishes cleaning up. */
  function startStuckRun(cleanupTimeoutMs: number): Started {
    const script = `
      import { runUntilTerminated } from ${JSON.stringify(HANDLER_URL)}
      setInterval(() => {}, 60_000)
      process.exitCode = await runUntilTerminated(
        async () => {
          process.stdout.write('running\\n')
          return new Promise(() => {})
        },
        { stderr: process.stderr, cleanupTimeoutMs: ${cleanupTimeoutMs} },
      )
    `
    return startNode(['--input-type=module', '--eval', script], work)
  }

  it("a second signal exits at once, with the first signal's code", async ({ expect }) => {
    const run = startStuckRun(60_000)
    await waitUntil(run, 'the run started', () => Promise.resolve(run.stdoutSoFar() !== ''))
    process.kill(run.pid, 'SIGTERM')
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(run.hasExited()).toBe(false)
    const secondAt = Date.now()
    process.kill(run.pid, 'SIGINT')
    const exit = await run.exited
    expect(Date.now() - secondAt).toBeLessThan(2000)
    expect(exit.code).toBe(143)
    expect(exit.stderr).toBe(
      'error [ABORTED]: interrupted by SIGTERM, then SIGINT: exited without waiting for cleanup\n',
    )
  })

  it('a cleanup that does not finish is given up after the bound', async ({ expect }) => {
    const run = startStuckRun(300)
    await waitUntil(run, 'the run started', () => Promise.resolve(run.stdoutSoFar() !== ''))
    const signalAt = Date.now()
    process.kill(run.pid, 'SIGHUP')
    const exit = await run.exited
    expect(Date.now() - signalAt).toBeGreaterThanOrEqual(290)
    expect(Date.now() - signalAt).toBeLessThan(5000)
    expect(exit.code).toBe(129)
    expect(exit.stderr).toBe(
      'error [ABORTED]: interrupted by SIGHUP: cleanup did not finish within 300 ms\n',
    )
  })
})
