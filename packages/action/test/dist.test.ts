import { execFile } from 'node:child_process'
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const execFileAsync = promisify(execFile)
const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..')
const committedDist = join(packageDir, 'dist')

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort()
}

/** The `bundle` script of package.json, pointed at another output folder. */
async function bundleArguments(outDir: string): Promise<string[]> {
  const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>
  }
  const [command, ...args] = (manifest.scripts.bundle ?? '').split(' ')
  expect(command).toBe('ncc')
  const out = args.indexOf('-o')
  expect(args[out + 1]).toBe('dist')
  args[out + 1] = outDir
  return args
}

describe('dist', () => {
  let freshDist: string

  beforeAll(async () => {
    freshDist = await mkdtemp(join(tmpdir(), 'packwright-action-dist-'))
    const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js')
    await execFileAsync(process.execPath, [ncc, ...(await bundleArguments(freshDist))], {
      cwd: packageDir,
      timeout: 170_000,
    })
  }, 180_000)

  afterAll(async () => {
    if (freshDist !== undefined) await rm(freshDist, { recursive: true, force: true })
  })

  it('holds the files a fresh build makes', async () => {
    const fresh = await listFiles(freshDist)
    expect(fresh).toEqual(expect.arrayContaining(['index.js', 'licenses.txt', 'package.json']))
    expect(await listFiles(committedDist)).toEqual(fresh)
  })

  it('is byte for byte a fresh build (rebuild with `pnpm --filter @packwright/action bundle`)', async () => {
    for (const file of await listFiles(freshDist)) {
      const same = (await readFile(join(committedDist, file))).equals(
        await readFile(join(freshDist, file)),
      )
      expect(same, `dist/${file} differs from a fresh build`).toBe(true)
    }
  })

  it('is an ES module bundle', async () => {
    expect(JSON.parse(await readFile(join(committedDist, 'package.json'), 'utf8'))).toEqual({
      type: 'module',
    })
  })
})
