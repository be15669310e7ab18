import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createGitFixture, type GitFixture } from '../../test/helpers/git-fixture.js'
import {
  loadGitHubRecording,
  startGitHubReplayServer,
} from '../../test/helpers/github-replay-server.js'
import { isPackwrightError } from '../errors.js'
import { generatePackage } from '../package/generate-package.js'
import type { GeneratedPackage } from '../package/generate-package-options.js'
import {
  buildProvenanceStatement,
  type ProvenanceStatementInput,
} from './build-provenance-statement.js'
import { formatProvenanceStatement } from './format-provenance-statement.js'
import { PACKWRIGHT_CLI_BUILDER_ID, type ProvenanceStatement } from './provenance-statement.js'
import { githubWebUrlFor } from './source-dependency.js'

const TOKEN = 'fake-token-for-provenance-tests-never-written'
const schemaPath = new URL('../../test/fixtures/provenance-statement.schema.json', import.meta.url)

let validate: (value: unknown) => boolean
let schemaErrors: () => string
let scratch: string
let repo: GitFixture
let commit: string

function errorOf(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    return error
  }
  throw new Error('expected a throw')
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'packwright-provenance-'))
  repo = await createGitFixture()
  await repo.write({
    'app/spicepod.yaml': 'version: v1\nkind: Spicepod\nname: demo\n',
    'app/data/trips.csv': 'id,fare\n1,9.5\n',
    'README.md': '# demo\n',
  })
  commit = await repo.commit('first', '2024-03-04T05:06:07Z')
  const ajv = new Ajv({ allErrors: true, strict: true })
  ajv.addFormat('uri', (text: string) => /^[a-z][a-z0-9+.-]*:/i.test(text) && URL.canParse(text))
  const compiled = ajv.compile(JSON.parse(await readFile(schemaPath, 'utf8')) as object)
  validate = (value) => compiled(value)
  schemaErrors = () => ajv.errorsText(compiled.errors)
})

afterAll(async () => {
  await repo.remove()
  await rm(scratch, { recursive: true, force: true })
})

function inputFor(
  pkg: GeneratedPackage,
  source: string,
  extra: Partial<ProvenanceStatementInput> = {},
): ProvenanceStatementInput {
  return {
    packageName: 'demo.zip',
    pkg,
    source,
    builderId: PACKWRIGHT_CLI_BUILDER_ID,
    packwrightVersion: '0.1.0',
    ...extra,
  }
}

describe('buildProvenanceStatement for a local git commit', () => {
  let pkg: GeneratedPackage
  let source: string

  beforeAll(async () => {
    source = `git:${repo.dir}#${commit.slice(0, 12)}:app/spicepod.yaml`
    pkg = await generatePackage({ source, outFile: join(scratch, 'git.zip') })
  })

  it('fits the schema of an in-toto Statement v1 with a SLSA Provenance v1 predicate', () => {
    const statement = buildProvenanceStatement(inputFor(pkg, source))
    const parsed: unknown = JSON.parse(formatProvenanceStatement(statement))
    expect(validate(parsed), schemaErrors()).toBe(true)
  })

  it('names the package file and its sha256 as the subject', async () => {
    const statement = buildProvenanceStatement(inputFor(pkg, source))
    const zipSha256 = createHash('sha256')
      .update(await readFile(pkg.path))
      .digest('hex')
    expect(statement.subject).toEqual([{ name: 'demo.zip', digest: { sha256: zipSha256 } }])
  })

  it('records the full commit the abbreviated SHA resolved to, and the path inside the repository', () => {
    const statement = buildProvenanceStatement(inputFor(pkg, source))
    expect(commit).toMatch(/^[0-9a-f]{40}$/)
    expect(pkg.sourceCommit).toBe(commit)
    expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
      { digest: { gitCommit: commit }, annotations: { path: 'app/spicepod.yaml' } },
    ])
  })

  it('names the repository and the ref asked for when the caller knows them, without credentials', () => {
    const statement = buildProvenanceStatement(
      inputFor(pkg, source, {
        repository: {
          url: 'https://x-access-token:secret@github.com/org/repo/',
          ref: 'refs/tags/v1.2.0',
        },
      }),
    )
    expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
      {
        uri: 'git+https://github.com/org/repo@refs/tags/v1.2.0',
        digest: { gitCommit: commit },
        annotations: { path: 'app/spicepod.yaml' },
      },
    ])
    expect(formatProvenanceStatement(statement)).not.toContain('secret')
  })

  it('records the source as given, every output-changing option with its default, and what auto chose', () => {
    const statement = buildProvenanceStatement(inputFor(pkg, source))
    expect(statement.predicate.buildDefinition.externalParameters).toEqual({
      source,
      mode: 'auto',
      include: ['**'],
      exclude: [],
      followSymlinks: false,
      ignoreFiles: true,
      compressionLevel: 6,
    })
    expect(statement.predicate.buildDefinition.internalParameters).toEqual({
      packageMode: 'spicepod',
      sourceDateEpoch: Date.parse('2024-03-04T05:06:07Z') / 1000,
    })
  })

  it('gives the same bytes for a second package of the same commit, sorted keys and a final newline', async () => {
    const again = await generatePackage({ source, outFile: join(scratch, 'git-again.zip') })
    const first = formatProvenanceStatement(buildProvenanceStatement(inputFor(pkg, source)))
    const second = formatProvenanceStatement(buildProvenanceStatement(inputFor(again, source)))
    expect(second).toBe(first)
    expect(first.endsWith('}\n')).toBe(true)
    expect(Object.keys(JSON.parse(first) as object)).toEqual([
      '_type',
      'predicate',
      'predicateType',
      'subject',
    ])
    expect(first).not.toMatch(/startedOn|finishedOn|invocationId/)
  })
})

describe('buildProvenanceStatement for a GitHub repository read with a token', () => {
  it('records the repository at the ref with its commit, and never the token', async () => {
    const recording = await loadGitHubRecording('tiny-spicepod')
    const server = await startGitHubReplayServer({ exchanges: recording.exchanges, token: TOKEN })
    try {
      const source = `github:${recording.owner}/${recording.repo}/${recording.commit}/`
      const pkg = await generatePackage({
        source,
        outFile: join(scratch, 'github.zip'),
        github: { apiBaseUrl: server.url, token: TOKEN },
      })
      expect(pkg.sourceCommit).toBe(recording.commit)
      const statement = buildProvenanceStatement(
        inputFor(pkg, source, { githubApiBaseUrl: server.url, secrets: [TOKEN] }),
      )
      const text = formatProvenanceStatement(statement)
      expect(validate(JSON.parse(text)), schemaErrors()).toBe(true)
      expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
        {
          uri: `git+${server.url.replace(/\/+$/, '')}/${recording.owner}/${recording.repo}@${recording.commit}`,
          digest: { gitCommit: recording.commit },
        },
      ])
      expect(text).not.toContain(TOKEN)
      expect(text).not.toContain(TOKEN.slice(4, 20))
    } finally {
      await server.close()
    }
  })
})

describe('buildProvenanceStatement for a local folder', () => {
  it('lists no dependency: a folder has no commit to name', async () => {
    const folder = join(scratch, 'folder')
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, 'a.txt'), 'a\n')
    const pkg = await generatePackage({
      source: folder,
      outFile: join(scratch, 'folder.zip'),
      exclude: ['*.log'],
      compressionLevel: 9,
      sourceDateEpoch: 1_700_000_000,
    })
    const statement = buildProvenanceStatement(
      inputFor(pkg, folder, {
        options: { exclude: ['*.log'], compressionLevel: 9, sourceDateEpoch: 1_700_000_000 },
      }),
    )
    expect(validate(JSON.parse(formatProvenanceStatement(statement))), schemaErrors()).toBe(true)
    expect(pkg.sourceCommit).toBeUndefined()
    expect(statement.predicate.buildDefinition).not.toHaveProperty('resolvedDependencies')
    expect(statement.predicate.buildDefinition.externalParameters).toMatchObject({
      source: folder,
      exclude: ['*.log'],
      compressionLevel: 9,
      sourceDateEpoch: 1_700_000_000,
    })
  })
})

describe('buildProvenanceStatement input checks', () => {
  const pkg = {
    sha256: 'a'.repeat(64),
    mode: 'directory',
    sourceDateEpoch: 315532800,
  } as const

  it('refuses a statement that would hold a secret, naming the field but not the secret', () => {
    const error = errorOf(() =>
      buildProvenanceStatement({
        packageName: 'demo.zip',
        pkg,
        source: `./checkouts/${TOKEN}/app`,
        builderId: PACKWRIGHT_CLI_BUILDER_ID,
        packwrightVersion: '0.1.0',
        secrets: [undefined, '', TOKEN],
      }),
    )
    expect(isPackwrightError(error, 'INVALID_ARGUMENT')).toBe(true)
    expect((error as Error).message).toBe(
      'Provenance statement: `predicate.buildDefinition.externalParameters.source` would hold a secret (a token), so no statement is made.',
    )
    expect(JSON.stringify(error)).not.toContain(TOKEN)
  })

  it.each([
    ['packageName', { packageName: 'dist/demo.zip' }, 'a file name without folders'],
    ['pkg.sha256', { pkg: { ...pkg, sha256: 'A'.repeat(64) } }, '64 lowercase hex digits'],
    ['pkg.sourceCommit', { pkg: { ...pkg, sourceCommit: 'abc1234' } }, 'a full commit SHA'],
    ['builderId', { builderId: 'packwright cli' }, 'an absolute URI'],
    ['packwrightVersion', { packwrightVersion: '' }, 'a version'],
  ] as const)('refuses a malformed %s, saying what was expected', (field, change, expected) => {
    const error = errorOf(() =>
      buildProvenanceStatement({
        packageName: 'demo.zip',
        pkg,
        source: './app',
        builderId: PACKWRIGHT_CLI_BUILDER_ID,
        packwrightVersion: '0.1.0',
        ...change,
      }),
    )
    expect(isPackwrightError(error, 'INVALID_ARGUMENT')).toBe(true)
    expect((error as Error).message).toContain(`\`${field}\` must be ${expected}`)
  })

  it('the schema refuses a statement without a builder id or with a foreign build type', () => {
    const statement = buildProvenanceStatement({
      packageName: 'demo.zip',
      pkg,
      source: './app',
      builderId: PACKWRIGHT_CLI_BUILDER_ID,
      packwrightVersion: '0.1.0',
    })
    const copy = JSON.parse(formatProvenanceStatement(statement)) as {
      predicate: ProvenanceStatement['predicate'] & Record<string, Record<string, unknown>>
    }
    expect(validate(copy), schemaErrors()).toBe(true)
    const withoutId = structuredClone(copy)
    delete (withoutId.predicate.runDetails.builder as { id?: string }).id
    expect(validate(withoutId)).toBe(false)
    const foreign = structuredClone(copy)
    ;(foreign.predicate.buildDefinition as { buildType: string }).buildType =
      'https://example.com/x'
    expect(validate(foreign)).toBe(false)
  })
})

describe('githubWebUrlFor', () => {
  it.each([
    ['https://api.github.com', 'https://github.com'],
    ['https://api.github.com/', 'https://github.com'],
    ['https://ghe.example.com/api/v3', 'https://ghe.example.com'],
    ['https://api.octocorp.ghe.com', 'https://octocorp.ghe.com'],
    ['https://user:pass@ghe.example.com/api/v3?x=1', 'https://ghe.example.com'],
  ])('%s serves %s', (api, web) => {
    expect(githubWebUrlFor(api)).toBe(web)
  })
})
