import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'

/** The monorepo root (where `action.yml` lives). */
export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..')

export interface RunBundledActionOptions {
  /** The node binary to run the bundle with (the runner's node24, or another). */
  readonly node: string
  /** The job's checkout; the runner starts actions with it as the working directory. */
  readonly workspace: string
  /** A folder owned by the caller, for the runner's files (outputs, summary, temp). */
  readonly baseDir: string
  /** Inputs as a workflow's `with:` gives them; action.yml defaults fill the rest. */
  readonly inputs?: Readonly<Record<string, string>>
  /** The value of `${{ github.token }}` for the `github-token` default. */
  readonly githubToken?: string
  /** Runner variables (GITHUB_SHA, ACTIONS_RUNTIME_TOKEN, …). */
  readonly env: Readonly<Record<string, string>>
}

export interface BundledActionResult {
  readonly exitCode: number
  readonly stdout: string
  readonly stderr: string
  /** What the action wrote to GITHUB_OUTPUT. */
  readonly outputs: Readonly<Record<string, string>>
  /** What the action wrote to GITHUB_STEP_SUMMARY. */
  readonly summary: string
  /** RUNNER_TEMP of this run. */
  readonly runnerTemp: string
}

interface ActionMetadata {
  runs: { main: string }
  inputs?: Record<string, { default?: string }>
}

/** The runner's name for an input's variable: upper case, spaces to `_`, dashes kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`
}

/** Reads `name<<delimiter\nvalue\ndelimiter\n` blocks, the GITHUB_OUTPUT file format. */
export function parseOutputFile(text: string): Record<string, string> {
  const result: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '')
    if (match === null) continue
    const [, name = '', delimiter] = match
    const end = lines.indexOf(delimiter ?? '', i + 1)
    if (end === -1) throw new Error(`unterminated output ${name}`)
    result[name] = lines.slice(i + 1, end).join('\n')
    i = end
  }
  return result
}

/**
 * Runs the committed bundle the way the runner runs a node action:
 * `node <main>` in the workspace, inputs as `INPUT_*` variables (with
 * action.yml's defaults), file commands in temp files, no inherited `GITHUB_*`.
 * `PACKWRIGHT_ACTION_BUNDLE` names another bundle to run (one built from the
 * working tree into a temp folder) instead of the committed one.
 */
export async function runBundledAction(
  options: RunBundledActionOptions,
): Promise<BundledActionResult> {
  const action = parse(await readFile(join(REPO_ROOT, 'action.yml'), 'utf8')) as ActionMetadata
  const dir = await mkdtemp(join(options.baseDir, 'step-'))
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
  }
  for (const file of Object.values(files)) await writeFile(file, '')
  const runnerTemp = join(dir, 'temp')
  await mkdir(runnerTemp)

  const inputs: Record<string, string> = {}
  for (const [name, input] of Object.entries(action.inputs ?? {})) {
    if (input.default === undefined) continue
    inputs[inputVariable(name)] = input.default.replace(
      '${{ github.token }}',
      options.githubToken ?? '',
    )
  }
  for (const [name, value] of Object.entries(options.inputs ?? {})) {
    inputs[inputVariable(name)] = value
  }

  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? dir,
    LANG: 'C.UTF-8',
    NO_PROXY: '127.0.0.1,localhost',
    GITHUB_ACTIONS: 'true',
    RUNNER_TEMP: runnerTemp,
    GITHUB_WORKSPACE: options.workspace,
    ...files,
    ...inputs,
    ...options.env,
  }

  const { exitCode, stdout, stderr } = await new Promise<{
    exitCode: number
    stdout: string
    stderr: string
  }>((resolve) => {
    execFile(
      options.node,
      [process.env.PACKWRIGHT_ACTION_BUNDLE ?? join(REPO_ROOT, action.runs.main)],
      { cwd: options.workspace, env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 },
      (error, out, err) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1
        resolve({ exitCode: code, stdout: out, stderr: err })
      },
    )
  })

  return {
    exitCode,
    stdout,
    stderr,
    outputs: parseOutputFile(await readFile(files.GITHUB_OUTPUT, 'utf8')),
    summary: await readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    runnerTemp,
  }
}
