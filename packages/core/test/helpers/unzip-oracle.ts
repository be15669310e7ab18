/**
 * What Info-ZIP `unzip` makes of a zip: whether `unzip -t` accepts it, the
 * names `unzip -Z1` lists, and the tree `unzip -o -d` extracts, seen with
 * lstat (files with their sha256, folders, symlinks with their targets),
 * plus anything that landed next to the extraction folder instead of in it.
 *
 * @module
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises'
import { join } from 'node:path'

/** One extracted (or expected) path, as lstat sees it. */
export type ExtractedKind =
  | { readonly kind: 'file'; readonly sha256: string }
  | { readonly kind: 'directory' }
  | { readonly kind: 'symlink'; readonly target: string }
  | { readonly kind: 'other' }

export interface UnzipVerdict {
  /** Exit code of `unzip -t` (0: no problem; 1: warnings; 2 and more: errors). */
  readonly testExitCode: number
  readonly testOutput: string
  readonly listExitCode: number
  /** Names `unzip -Z1` prints, one per line, in central-directory order. */
  readonly listedNames: readonly string[]
  readonly extractExitCode: number
  readonly extractOutput: string
  /** Every path under the extraction folder (relative, `/`-separated), sorted. */
  readonly extracted: ReadonlyMap<string, ExtractedKind>
  /** Paths created beside the extraction folder, i.e. outside it. */
  readonly outside: readonly string[]
}

// A UTF-8 locale, so unzip prints and creates UTF-8 names as they are and honours Unicode Path fields.
const UNZIP_ENV = { ...process.env, LC_ALL: 'C.UTF-8', LANG: 'C.UTF-8', UNZIP: '', UNZIPOPT: '' }
const OUTPUT_LIMIT = 16 * 1024 * 1024

/**
 * Runs `unzip -t`, `unzip -Z1` and `unzip -o -d` on `zipPath`, extracting
 * into a fresh folder under `scratchDir` that is removed afterwards.
 */
export async function askUnzip(zipPath: string, scratchDir: string): Promise<UnzipVerdict> {
  const test = await runUnzip(['-t', zipPath])
  const list = await runUnzip(['-Z1', zipPath])
  const sandbox = await mkdtemp(join(scratchDir, 'unzip-'))
  try {
    // Extract two levels down, so a path that climbs one or two levels still lands where we look.
    const into = join(sandbox, 'a', 'b', 'root')
    await mkdir(into, { recursive: true })
    const extract = await runUnzip(['-o', '-q', zipPath, '-d', into])
    const extracted = await walk(into)
    const outside = [...(await walk(sandbox)).keys()].filter(
      (path) => !['a', 'a/b', 'a/b/root'].includes(path) && !path.startsWith('a/b/root/'),
    )
    return {
      testExitCode: test.exitCode,
      testOutput: test.output,
      listExitCode: list.exitCode,
      listedNames: list.stdout === '' ? [] : list.stdout.replace(/\n$/, '').split('\n'),
      extractExitCode: extract.exitCode,
      extractOutput: extract.output,
      extracted,
      outside,
    }
  } finally {
    await rm(sandbox, { recursive: true, force: true })
  }
}

function runUnzip(
  args: readonly string[],
): Promise<{ exitCode: number; stdout: string; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      'unzip',
      args,
      { env: UNZIP_ENV, maxBuffer: OUTPUT_LIMIT, encoding: 'utf8', timeout: 20_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== 'number') {
          reject(new Error(`unzip ${args.join(' ')} could not run`, { cause: error }))
          return
        }
        resolve({
          exitCode: error === null ? 0 : Number(error.code),
          stdout,
          output: `${stdout}${stderr}`.slice(0, 2000),
        })
      },
    )
  })
}

/**
 * Every path under `root`, relative and `/`-separated, with what lstat says
 * it is. Names are read as bytes and shown as UTF-8 (invalid bytes become U+FFFD).
 */
async function walk(root: string): Promise<Map<string, ExtractedKind>> {
  const found = new Map<string, ExtractedKind>()
  const visit = async (relative: Buffer): Promise<void> => {
    const names = await readdir(Buffer.concat([Buffer.from(`${root}/`), relative]), {
      encoding: 'buffer',
    })
    for (const name of names.sort((a, b) => Buffer.compare(a, b))) {
      const path = relative.length === 0 ? name : Buffer.concat([relative, Buffer.from('/'), name])
      const full = Buffer.concat([Buffer.from(`${root}/`), path])
      const key = path.toString('utf8')
      const stat = await lstat(full)
      if (stat.isSymbolicLink()) {
        found.set(key, {
          kind: 'symlink',
          target: (await readlink(full, 'buffer')).toString('utf8'),
        })
      } else if (stat.isDirectory()) {
        found.set(key, { kind: 'directory' })
        await visit(path)
      } else if (stat.isFile()) {
        const sha256 = createHash('sha256')
          .update(await readFile(full))
          .digest('hex')
        found.set(key, { kind: 'file', sha256 })
      } else {
        found.set(key, { kind: 'other' })
      }
    }
  }
  await visit(Buffer.alloc(0))
  return found
}
