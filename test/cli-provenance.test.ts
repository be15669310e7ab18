import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openZip } from '@packwright/core'
import { git } from './helpers/git.js'
import { runPackwright } from './helpers/packwright-cli.js'
import { startGitHubApi } from './helpers/start-github-api.js'

const TOKEN = 'fake-token-for-cli-provenance-never-written'

interface Statement {
  _type: string
  subject: { name: string; digest: { sha256: string } }[]
  predicateType: string
  predicate: {
    buildDefinition: {
      buildType: string
      externalParameters: Record<string, unknown>
      internalParameters: Record<string, unknown>
      resolvedDependencies?: { uri?: string; digest?: Record<string, string> }[]
    }
    runDetails: { builder: { id: string; version: Record<string, string> } }
  }
}

let work: string
let repoDir: string
let commit: string

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'packwright-cli-provenance-'))
  repoDir = join(work, 'repo')
  await mkdir(join(repoDir, 'app'), { recursive: true })
  await writeFile(join(repoDir, 'app/index.js'), 'export const answer = 42\n')
  await writeFile(join(repoDir, 'README.md'), '# demo\n')
  await git(repoDir, 'init', '-q', '-b', 'main')
  await git(repoDir, 'add', '-A')
  await git(repoDir, 'commit', '-q', '-m', 'first')
  commit = await git(repoDir, 'rev-parse', 'HEAD')
})

afterAll(async () => {
  await rm(work, { recursive: true, force: true })
})

async function sha256Of(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex')
}

async function generateWithProvenance(
  source: string,
  folder: string,
  extra: readonly string[] = [],
  env: NodeJS.ProcessEnv = {},
) {
  await mkdir(folder, { recursive: true })
  const zip = join(folder, 'app.zip')
  const provenance = join(folder, 'app.zip.intoto.json')
  const run = await runPackwright(
    ['generate', source, '--out', zip, '--provenance', provenance, '--json', ...extra],
    { env },
  )
  expect(run.stderr).toBe('')
  expect(run.code).toBe(0)
  const json = JSON.parse(run.stdout) as { provenance: string; sha256: string }
  const text = await readFile(provenance, 'utf8')
  return { zip, provenance, json, text, statement: JSON.parse(text) as Statement }
}

describe('packwright generate --provenance', () => {
  it('writes a statement whose subject is the zip and its sha256, and --json names the file', async () => {
    const source = `git:${repoDir}#${commit.slice(0, 10)}:app`
    const { zip, provenance, json, statement } = await generateWithProvenance(
      source,
      join(work, 'git-a'),
      ['--compression-level', '9'],
    )
    expect(json.provenance).toBe(provenance)
    expect(Object.keys(json)[0]).toBe('provenance')
    expect(statement._type).toBe('https://in-toto.io/Statement/v1')
    expect(statement.predicateType).toBe('https://slsa.dev/provenance/v1')
    expect(statement.subject).toEqual([
      { name: basename(zip), digest: { sha256: await sha256Of(zip) } },
    ])
    expect(statement.subject[0]?.digest.sha256).toBe(json.sha256)
    expect(statement.predicate.buildDefinition.buildType).toBe('https://packwright.dev/generate/v1')
    expect(statement.predicate.buildDefinition.externalParameters).toMatchObject({
      source,
      compressionLevel: 9,
    })
    expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
      { digest: { gitCommit: commit }, annotations: { path: 'app' } },
    ])
    expect(statement.predicate.runDetails.builder.id).toBe('https://packwright.dev/builders/cli/v1')
    expect(statement.predicate.runDetails.builder.version.packwright).toMatch(/^\d+\.\d+\.\d+/)
    expect((await readdir(join(work, 'git-a'))).sort()).toEqual(['app.zip', 'app.zip.intoto.json'])
  })

  it('writes the same bytes on a second run of the same commit', async () => {
    const source = `git:${repoDir}#${commit}:app`
    const first = await generateWithProvenance(source, join(work, 'git-b'))
    const second = await generateWithProvenance(source, join(work, 'git-c'))
    expect(second.text).toBe(first.text)
    expect(first.text.endsWith('}\n')).toBe(true)
  })

  it('names the GitHub repository at the commit and never writes the token', async () => {
    const api = await startGitHubApi({ repoDir, owner: 'octo', repo: 'demo', token: TOKEN })
    try {
      const { zip, text, statement } = await generateWithProvenance(
        `github:octo/demo/${commit}/app`,
        join(work, 'github'),
        ['--github-api-url', api.url],
        { GITHUB_TOKEN: TOKEN },
      )
      expect(text).not.toContain(TOKEN)
      expect(statement.subject[0]?.digest.sha256).toBe(await sha256Of(zip))
      expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
        {
          uri: `git+${api.url.replace(/\/+$/, '')}/octo/demo@${commit}`,
          digest: { gitCommit: commit },
          annotations: { path: 'app' },
        },
      ])
    } finally {
      await api.close()
    }
  })

  it('refuses a --provenance file that is the --out zip, before packaging anything', async () => {
    const folder = join(work, 'same-file')
    await mkdir(folder, { recursive: true })
    const zip = join(folder, 'app.zip')
    const run = await runPackwright([
      'generate',
      `git:${repoDir}#${commit}`,
      '--out',
      zip,
      '--provenance',
      zip,
    ])
    expect(run.code).toBe(2)
    expect(run.stdout).toBe('')
    expect(run.stderr).toContain(
      `--provenance names the same file as --out (${JSON.stringify(zip)}); give it a file of its own, such as ${JSON.stringify(`${zip}.intoto.json`)}`,
    )
    expect(run.stderr).not.toMatch(/\n\s+at /)
    expect(await readdir(folder)).toEqual([])
  })

  it('leaves a statement written inside a packaged folder out of the package, and lists no dependency', async () => {
    const folder = join(work, 'folder')
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, 'a.txt'), 'a\n')
    const zip = join(work, 'folder.zip')
    const provenance = join(folder, 'folder.zip.intoto.json')
    const run = await runPackwright(['generate', folder, '--out', zip, '--provenance', provenance])
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout).toContain(`  provenance ${provenance}\n`)
    const statement = JSON.parse(await readFile(provenance, 'utf8')) as Statement
    expect(statement.predicate.buildDefinition).not.toHaveProperty('resolvedDependencies')
    expect(statement.subject[0]?.digest.sha256).toBe(await sha256Of(zip))
    const archive = await openZip(zip)
    try {
      expect(archive.entries.map((entry) => entry.name)).toEqual(['a.txt'])
    } finally {
      await archive.close()
    }
  })
})
