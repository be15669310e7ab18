import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { promisify } from 'node:util'
import type * as ArtifactModule from '@actions/artifact'
import { type ArtifactClient } from '@actions/artifact'
import type * as CoreModule from '@packwright/core'
import {
  PackwrightError,
  ResourceList,
  computeContentDigest,
  type GeneratedPackage,
  type GeneratePackageOptions,
  type ResourceEntry,
} from '@packwright/core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import * as core from './fixtures/actions-core.js'

const mocks = vi.hoisted(() => ({
  generatePackage: vi.fn<(options: GeneratePackageOptions) => Promise<GeneratedPackage>>(),
  uploadArtifact: vi.fn<ArtifactClient['uploadArtifact']>(),
  deleteArtifact: vi.fn<ArtifactClient['deleteArtifact']>(),
  getArtifact: vi.fn<ArtifactClient['getArtifact']>(),
  findCheckout:
    vi.fn<(workspace: string, sha: string) => Promise<{ repoDir: string } | { reason: string }>>(),
}))

vi.mock('@actions/core', () => import('./fixtures/actions-core.js'))
vi.mock('@actions/artifact', async (importOriginal) => ({
  ...(await importOriginal<typeof ArtifactModule>()),
  DefaultArtifactClient: class {
    uploadArtifact = mocks.uploadArtifact
    deleteArtifact = mocks.deleteArtifact
    getArtifact = mocks.getArtifact
  },
}))
vi.mock('@packwright/core', async (importOriginal) => ({
  ...(await importOriginal<typeof CoreModule>()),
  generatePackage: mocks.generatePackage,
}))
vi.mock('../src/find-checkout.js', () => ({ findCheckout: mocks.findCheckout }))

const { run } = await import('../src/main.js')
const { ArtifactNotFoundError } = await import('@actions/artifact')

const SHA = 'abc1234def5678abc1234def5678abc1234def56'
const TOKEN = 'secret-token-value-not-real-123'
const DIGEST = 'f'.repeat(64)

function entry(path: string, size: number): ResourceEntry {
  return { path, kind: 'file', size, mode: '644', sha1: '0'.repeat(40), sha256: '1'.repeat(64) }
}

const ENTRIES: ResourceEntry[] = [
  entry('README.md', 120),
  entry('data/a.csv', 5000),
  entry('data/b <b>.csv', 9000),
  ...Array.from({ length: 10 }, (_, i) => entry(`src/file-${i}.ts`, 100 + i)),
]

let rootDir: string
let workDir: string
// @actions/core's summary remembers the first GITHUB_STEP_SUMMARY path it sees,
// so all tests share one file, emptied before each.
let summaryFile: string

function fakePackage(options: GeneratePackageOptions, entries = ENTRIES): GeneratedPackage {
  return {
    path: options.outFile,
    sha256: DIGEST,
    size: 4321,
    entries: ResourceList.from(entries),
    mode: options.mode === 'spicepod' ? 'spicepod' : 'directory',
    sourceDateEpoch: 1_700_000_000,
    sourceDescription: 'test source',
    ignoreFiles: [],
  }
}

function failure(): string {
  expect(core.setFailed).toHaveBeenCalledTimes(1)
  const [message] = core.setFailed.mock.calls[0] ?? []
  return String(message)
}

function lastPackageOptions(): GeneratePackageOptions {
  const options = mocks.generatePackage.mock.calls.at(-1)?.[0]
  if (options === undefined) throw new Error('generatePackage was not called')
  return options
}

beforeAll(async () => {
  rootDir = await mkdtemp(join(tmpdir(), 'packwright-action-test-'))
  summaryFile = join(rootDir, 'summary.md')
})

afterAll(async () => {
  await rm(rootDir, { recursive: true, force: true })
})

beforeEach(async () => {
  workDir = await mkdtemp(join(rootDir, 'run-'))
  await writeFile(summaryFile, '')
  core.summary.emptyBuffer()
  vi.stubEnv('GITHUB_SHA', SHA)
  vi.stubEnv('GITHUB_REPOSITORY', 'octo-org/hello-pod')
  vi.stubEnv('GITHUB_REF_NAME', 'main')
  vi.stubEnv('GITHUB_WORKSPACE', join(workDir, 'workspace'))
  vi.stubEnv('GITHUB_API_URL', 'https://ghe.example.test/api/v3')
  vi.stubEnv('GITHUB_SERVER_URL', 'https://github.com')
  vi.stubEnv('GITHUB_RUN_ID', '777')
  vi.stubEnv('RUNNER_TEMP', workDir)
  vi.stubEnv('GITHUB_STEP_SUMMARY', summaryFile)
  core.useInputs({ 'github-token': TOKEN })
  mocks.findCheckout.mockResolvedValue({ repoDir: '/checkout' })
  mocks.generatePackage.mockImplementation((options) => Promise.resolve(fakePackage(options)))
  mocks.uploadArtifact.mockResolvedValue({ id: 42, size: 4321, digest: DIGEST })
  mocks.deleteArtifact.mockRejectedValue(new ArtifactNotFoundError('Artifact not found'))
  mocks.getArtifact.mockRejectedValue(new ArtifactNotFoundError('Artifact not found'))
})

afterEach(async () => {
  vi.unstubAllEnvs()
  await rm(workDir, { recursive: true, force: true })
})

describe('run', () => {
  it('packages the commit from the checkout and uploads the zip as-is', async () => {
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(mocks.findCheckout).toHaveBeenCalledWith(join(workDir, 'workspace'), SHA)
    const options = lastPackageOptions()
    expect(options.source).toEqual({ kind: 'git', repoDir: '/checkout', rev: SHA, path: '' })
    expect(options.mode).toBe('directory')
    expect(options.include).toBeUndefined()
    expect(options.exclude).toBeUndefined()
    expect(options.allowEmpty).toBe(false)
    expect(options.compressionLevel).toBe(6)
    expect(options.github).toBeUndefined()
    expect(basename(options.outFile)).toBe('hello-pod-abc1234.zip')
    expect(dirname(dirname(options.outFile))).toBe(workDir)

    expect(mocks.deleteArtifact).not.toHaveBeenCalled()
    expect(mocks.uploadArtifact).toHaveBeenCalledWith(
      'hello-pod-abc1234.zip',
      [options.outFile],
      dirname(options.outFile),
      { skipArchive: true, retentionDays: undefined },
    )
  })

  it('sets every output', async () => {
    await run()

    const packagePath = lastPackageOptions().outFile
    expect(core.outputs()).toEqual({
      'package-path': packagePath,
      'package-sha256': DIGEST,
      'content-digest': computeContentDigest(ENTRIES),
      'package-size': '4321',
      'file-count': String(ENTRIES.length),
      'artifact-name': 'hello-pod-abc1234.zip',
      'artifact-id': '42',
      'artifact-url': 'https://github.com/octo-org/hello-pod/actions/runs/777/artifacts/42',
      'artifact-digest': DIGEST,
      'provenance-path': join(dirname(packagePath), 'hello-pod-abc1234.intoto.json'),
    })
  })

  it('writes the provenance statement beside the package: the package, its commit and the run, no token', async () => {
    vi.stubEnv('GITHUB_REF', 'refs/heads/main')
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    const path = String(core.outputs()['provenance-path'])
    expect(dirname(path)).toBe(dirname(lastPackageOptions().outFile))
    const text = await readFile(path, 'utf8')
    expect(text).not.toContain(TOKEN)
    const statement = JSON.parse(text) as {
      subject: unknown
      predicate: {
        buildDefinition: { externalParameters: unknown; resolvedDependencies: unknown }
        runDetails: unknown
      }
    }
    expect(statement.subject).toEqual([
      { name: 'hello-pod-abc1234.zip', digest: { sha256: DIGEST } },
    ])
    expect(statement.predicate.buildDefinition.resolvedDependencies).toEqual([
      {
        uri: 'git+https://github.com/octo-org/hello-pod@refs/heads/main',
        digest: { gitCommit: SHA },
      },
    ])
    expect(statement.predicate.buildDefinition.externalParameters).toMatchObject({
      source: `github:octo-org/hello-pod/${SHA}/`,
      mode: 'directory',
      compressionLevel: 6,
    })
    expect(statement.predicate.runDetails).toEqual({
      builder: {
        id: 'https://packwright.dev/builders/github-action/v1',
        version: { packwright: '0.1.0' },
      },
      metadata: { invocationId: 'https://github.com/octo-org/hello-pod/actions/runs/777' },
    })
    expect(await readFile(summaryFile, 'utf8')).toContain(
      '<p>Provenance: <code>hello-pod-abc1234.intoto.json</code> (an unsigned in-toto statement',
    )
  })

  it('writes no provenance statement with provenance: false', async () => {
    core.useInputs({ provenance: 'false' })
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()).not.toHaveProperty('provenance-path')
    expect(await readdir(dirname(lastPackageOptions().outFile))).toEqual([])
    expect(await readFile(summaryFile, 'utf8')).not.toContain('Provenance')
  })

  it('writes a summary table and the largest files, escaped', async () => {
    await run()

    const html = await readFile(summaryFile, 'utf8')
    expect(html).toContain('<table>')
    expect(html).toContain('<code>hello-pod-abc1234.zip</code>')
    expect(html).toContain(`<code>${DIGEST}</code>`)
    expect(html).toContain('4.2 KiB (4321 bytes)')
    expect(html).toContain(`<td>${ENTRIES.length}</td>`)
    expect(html).toContain(
      '<a href="https://github.com/octo-org/hello-pod/actions/runs/777/artifacts/42">hello-pod-abc1234.zip (id 42)</a>',
    )
    expect(html).toContain(`<details><summary>Largest files (10 of ${ENTRIES.length})</summary>`)
    const items = [...html.matchAll(/<li><code>([^<]*)<\/code>/g)].map((match) => match[1])
    expect(items.slice(0, 3)).toEqual(['data/b &lt;b&gt;.csv', 'data/a.csv', 'README.md'])
    expect(items).toHaveLength(10)
    expect(html).not.toContain('<b>.csv')
    expect(html).toContain(`<p>Source: <code>git:/checkout#${SHA}</code> (directory package)</p>`)
    expect(html).toContain(`<p>Content digest: <code>${computeContentDigest(ENTRIES)}</code> (`)
  })

  it('counts only regular files in the largest-files list', async () => {
    const link: ResourceEntry & { linkTarget: string } = {
      ...entry('docs/latest', 11),
      kind: 'symlink',
      mode: '777',
      linkTarget: '../a.txt',
    }
    const entries = [entry('a.txt', 3), link, entry('b.txt', 2000)]
    mocks.generatePackage.mockImplementation((options) =>
      Promise.resolve(fakePackage(options, entries)),
    )
    await run()

    const html = await readFile(summaryFile, 'utf8')
    expect(html).toContain('<td>3</td>')
    expect(html).toContain('<details><summary>Largest files (2 of 2)</summary>')
    const items = [...html.matchAll(/<li><code>([^<]*)<\/code>/g)].map((match) => match[1])
    expect(items).toEqual(['b.txt', 'a.txt'])
  })

  it('registers the token as a secret before anything is logged or output', async () => {
    core.warning.mockImplementation(() => undefined)
    await run()

    expect(core.setSecret).toHaveBeenCalledWith(TOKEN)
    const maskedAt = core.setSecret.mock.invocationCallOrder[0] ?? Infinity
    const firstOutputs = [core.info, core.debug, core.warning, core.group, core.setOutput]
      .flatMap((fn) => fn.mock.invocationCallOrder)
      .sort((a, b) => a - b)
    expect(firstOutputs.length).toBeGreaterThan(0)
    expect(maskedAt).toBeLessThan(firstOutputs[0] ?? 0)
  })

  it('masks the token even when the inputs are invalid', async () => {
    core.useInputs({ 'github-token': TOKEN, 'compression-level': '11' })
    await run()

    expect(core.setSecret).toHaveBeenCalledWith(TOKEN)
    expect(core.setSecret.mock.invocationCallOrder[0]).toBeLessThan(
      core.setFailed.mock.invocationCallOrder[0] ?? 0,
    )
  })

  it('reads the commit over the REST API when the workspace has no checkout of it', async () => {
    mocks.findCheckout.mockResolvedValue({ reason: 'no git checkout' })
    await run()

    const options = lastPackageOptions()
    expect(options.source).toEqual({
      kind: 'github',
      owner: 'octo-org',
      repo: 'hello-pod',
      ref: SHA,
      path: '',
    })
    expect(options.github).toEqual({ apiBaseUrl: 'https://ghe.example.test/api/v3', token: TOKEN })
    expect(core.info).toHaveBeenCalledWith(expect.stringContaining('GitHub REST API'))
  })

  it('reads the commit over the REST API when GITHUB_WORKSPACE is unset', async () => {
    vi.stubEnv('GITHUB_WORKSPACE', '')
    await run()

    expect(mocks.findCheckout).not.toHaveBeenCalled()
    expect(lastPackageOptions().source).toMatchObject({ kind: 'github', ref: SHA })
  })

  it('packages a spicepod manifest in spicepod mode', async () => {
    core.useInputs({ spicepod: './pods/app/spicepod.yaml' })
    await run()

    const options = lastPackageOptions()
    expect(options.mode).toBe('spicepod')
    expect(options.source).toEqual({
      kind: 'git',
      repoDir: '/checkout',
      rev: SHA,
      path: 'pods/app/spicepod.yaml',
    })
    expect(options.include).toBeUndefined()
  })

  it('packages a folder with include and exclude globs', async () => {
    core.useInputs({ path: 'app/', include: 'src/**\n\n  *.json  ', exclude: '**/*.test.ts' })
    await run()

    const options = lastPackageOptions()
    expect(options.mode).toBe('directory')
    expect(options.source).toMatchObject({ kind: 'git', path: 'app' })
    expect(options.include).toEqual(['src/**', '*.json'])
    expect(options.exclude).toEqual(['**/*.test.ts'])
  })

  it('passes a `from` source spec through unchanged', async () => {
    const from = 'github:other-org/pods/0123456789abcdef0123456789abcdef01234567/spicepod.yaml'
    core.useInputs({ from, 'github-token': TOKEN })
    await run()

    const options = lastPackageOptions()
    expect(options.source).toBe(from)
    expect(options.mode).toBe('auto')
    expect(options.github).toEqual({ apiBaseUrl: 'https://ghe.example.test/api/v3', token: TOKEN })
    expect(mocks.findCheckout).not.toHaveBeenCalled()
  })

  it('renders the name template, making the ref safe for artifact names', async () => {
    vi.stubEnv('GITHUB_REF_NAME', 'feature/new-pod')
    core.useInputs({ name: 'pkg-{ref}-{sha}' })
    await run()

    expect(core.outputs()['artifact-name']).toBe(`pkg-feature-new-pod-${SHA}.zip`)
  })

  it('keeps a name that already ends in .zip', async () => {
    core.useInputs({ name: '{repo}.zip' })
    await run()

    expect(basename(lastPackageOptions().outFile)).toBe('hello-pod.zip')
  })

  it('passes retention and compression through', async () => {
    core.useInputs({ 'retention-days': '5', 'compression-level': '9' })
    await run()

    expect(lastPackageOptions().compressionLevel).toBe(9)
    expect(mocks.uploadArtifact.mock.calls[0]?.[3]).toEqual({ skipArchive: true, retentionDays: 5 })
  })

  it('skips the upload when upload-artifact is false', async () => {
    core.useInputs({ 'upload-artifact': 'false' })
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(mocks.uploadArtifact).not.toHaveBeenCalled()
    expect(Object.keys(core.outputs()).sort()).toEqual([
      'content-digest',
      'file-count',
      'package-path',
      'package-sha256',
      'package-size',
      'provenance-path',
    ])
    expect(await readFile(summaryFile, 'utf8')).toContain('not uploaded')
  })

  describe('overwrite', () => {
    it('deletes an existing artifact of the same name before uploading', async () => {
      core.useInputs({ overwrite: 'true' })
      mocks.deleteArtifact.mockResolvedValue({ id: 41 })
      await run()

      expect(mocks.deleteArtifact).toHaveBeenCalledWith('hello-pod-abc1234.zip')
      expect(mocks.deleteArtifact.mock.invocationCallOrder[0]).toBeLessThan(
        mocks.uploadArtifact.mock.invocationCallOrder[0] ?? 0,
      )
      expect(core.setFailed).not.toHaveBeenCalled()
    })

    it('uploads when there is nothing to replace', async () => {
      core.useInputs({ overwrite: 'true' })
      await run()

      expect(mocks.deleteArtifact).toHaveBeenCalledTimes(1)
      expect(mocks.uploadArtifact).toHaveBeenCalledTimes(1)
      expect(core.setFailed).not.toHaveBeenCalled()
    })

    it('fails when the delete fails for another reason', async () => {
      core.useInputs({ overwrite: 'true' })
      mocks.deleteArtifact.mockRejectedValue(new Error('Failed request: (500) boom'))
      await run()

      expect(failure()).toContain('Could not delete the existing artifact "hello-pod-abc1234.zip"')
      expect(mocks.uploadArtifact).not.toHaveBeenCalled()
    })

    it('fails with the artifact name and the fix when the name is taken', async () => {
      mocks.uploadArtifact.mockRejectedValue(
        new Error(
          'Failed to CreateArtifact: Received non-retryable error: Failed request: (409) Conflict: an artifact with this name already exists on the workflow run',
        ),
      )
      await run()

      const message = failure()
      expect(message).toContain('"hello-pod-abc1234.zip" already exists')
      expect(message).toContain('`overwrite: true`')
      expect(mocks.deleteArtifact).not.toHaveBeenCalled()
    })
  })

  it('reports other upload failures with the artifact name', async () => {
    mocks.uploadArtifact.mockRejectedValue(new Error('Upload progress stalled.'))
    await run()

    expect(failure()).toBe(
      '[ARTIFACT_UPLOAD_FAILED] Uploading the artifact "hello-pod-abc1234.zip" failed: Upload progress stalled.',
    )
  })

  it('fails when the artifact digest differs from the package digest', async () => {
    mocks.uploadArtifact.mockResolvedValue({ id: 1, size: 4321, digest: 'e'.repeat(64) })
    await run()

    expect(failure()).toContain(`but the package's sha256 is ${DIGEST}`)
  })

  it('shows a packwright error as [CODE] message and hint, without a stack', async () => {
    mocks.generatePackage.mockRejectedValue(
      new PackwrightError('SYMLINK_CYCLE', 'Links in "app" form a cycle.', {
        hint: 'Break the cycle.',
      }),
    )
    await run()

    const message = failure()
    expect(message).toBe('[SYMLINK_CYCLE] Links in "app" form a cycle.\nHint: Break the cycle.')
    expect(mocks.uploadArtifact).not.toHaveBeenCalled()
  })

  it('reports a thrown non-error value', async () => {
    mocks.generatePackage.mockImplementation(() => {
      // eslint-disable-next-line @typescript-eslint/only-throw-error
      throw 'plain text'
    })
    await run()

    expect(failure()).toBe('[ACTION_INTERNAL] Unexpected failure: plain text')
  })

  it('allows an empty package with if-empty: warn, and warns', async () => {
    core.useInputs({ 'if-empty': 'warn' })
    mocks.generatePackage.mockImplementation((options) => Promise.resolve(fakePackage(options, [])))
    await run()

    expect(lastPackageOptions().allowEmpty).toBe(true)
    expect(core.warning).toHaveBeenCalledWith(expect.stringContaining('is empty'))
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  it('fails when the runner did not set GITHUB_SHA', async () => {
    vi.stubEnv('GITHUB_SHA', '')
    await run()

    expect(failure()).toContain('GITHUB_SHA is not set.')
    expect(mocks.generatePackage).not.toHaveBeenCalled()
  })

  describe('input errors', () => {
    it.each([
      ['compression-level', '10', '`compression-level` must be a whole number from 0 to 9'],
      ['compression-level', '-1', '`compression-level` must be a whole number from 0 to 9'],
      ['compression-level', '4.5', '`compression-level` must be a whole number from 0 to 9'],
      ['retention-days', '91', '`retention-days` must be a whole number from 0 to 90'],
      ['retention-days', 'week', '`retention-days` must be a whole number from 0 to 90'],
      ['upload-artifact', 'yes', '`upload-artifact` must be true or false, got "yes"'],
      ['overwrite', 'maybe', '`overwrite` must be true or false, got "maybe"'],
      ['if-empty', 'ignore', '`if-empty` must be one of error, warn, got "ignore"'],
      ['name', '{repo}:{sha7}', '`name` contains characters artifact names cannot hold: colon :'],
      ['name', 'a/b', 'forward slash /'],
      ['name', '{repo}-{branch}', '`name` has unknown placeholder {branch}'],
      ['path', '../outside', '`path` must stay inside the repository'],
      ['path', '/etc', '`path` must be relative to the repository root'],
      ['path', 'app\\src', '`path` must use forward slashes'],
      ['path', 'app\nsrc', '`path` contains a control character: "app\\nsrc"'],
      ['spicepod', '.', '`spicepod` must name a manifest file'],
      ['spicepod', 'pods/../../spicepod.yaml', '`spicepod` must stay inside the repository'],
      ['spicepod', 'C:\\pods\\spicepod.yaml', '`spicepod` must use forward slashes'],
      ['from', 'svn:repo/trunk', '`from`: Invalid source "svn:repo/trunk": unknown scheme'],
      ['from', `git:.#main`, '`from`: Invalid git source "git:.#main": the revision "main"'],
      ['from', '.', '`from` must be a commit source, `github:{owner}/{repo}/{sha}[/{path}]`'],
      ['from', './pods/spicepod.yaml', 'would package the working tree, not the commit'],
      ['from', 'file:app', '`from` must be a commit source'],
      ['release', 'tags', '`release` must be one of auto, true, false, got "tags"'],
      ['release-draft', 'yes', '`release-draft` must be true or false, got "yes"'],
    ])('rejects %s: %j', async (input, value, expected) => {
      core.useInputs({ [input]: value })
      await run()

      expect(failure()).toContain(expected)
      expect(mocks.generatePackage).not.toHaveBeenCalled()
    })

    it('rejects more than one source input', async () => {
      core.useInputs({ spicepod: 'spicepod.yaml', path: 'app' })
      await run()

      expect(failure()).toContain(
        '`spicepod`, `path` and `from` are alternatives; set at most one (got `spicepod`, `path`)',
      )
    })

    it('rejects `from` together with `path`', async () => {
      core.useInputs({ from: `git:.#${SHA}`, path: 'app' })
      await run()

      expect(failure()).toContain('set at most one (got `path`, `from`)')
    })

    it('rejects globs with a spicepod manifest', async () => {
      core.useInputs({ spicepod: 'spicepod.yaml', exclude: '*.md' })
      await run()

      expect(failure()).toContain('`include` and `exclude` apply to directory packages')
    })

    it('lists every bad input in one failure', async () => {
      core.useInputs({
        name: 'x|{nope}',
        'upload-artifact': 'on',
        'retention-days': '0.5',
        'compression-level': 'max',
        overwrite: '1',
        'if-empty': 'silent',
        from: 'ftp://host/pod',
      })
      await run()

      const lines = failure().split('\n')
      expect(lines[0]).toBe('[ACTION_INPUT_INVALID] Invalid inputs:')
      expect(lines.slice(1).map((line) => /`([a-z-]+)`/.exec(line)?.[1])).toEqual([
        'from',
        'name',
        'name',
        'upload-artifact',
        'overwrite',
        'retention-days',
        'compression-level',
        'if-empty',
      ])
    })
  })
})

/** The empty-selection failure as core reports it, with the command line's hint. */
function selectionEmpty(path: string): PackwrightError {
  return new PackwrightError(
    'SELECTION_EMPTY',
    `No files were selected from "${path}" in git repository /checkout: 0 entries found.`,
    {
      hint: 'Check the root, the include/exclude patterns and ignore files, or pass `--allow-empty` to create an empty package.',
    },
  )
}

/** A real one-commit repository, for the checks that read the commit. */
async function commitRepository(): Promise<{ repoDir: string; sha: string }> {
  const run = promisify(execFile)
  const repoDir = join(workDir, 'repo')
  await mkdir(join(repoDir, 'app'), { recursive: true })
  await writeFile(join(repoDir, 'app', 'main.py'), 'print(1)\n')
  const git = (...args: string[]) =>
    run('git', ['-C', repoDir, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args])
  await git('init', '--quiet')
  await git('add', '--all')
  await git('commit', '--quiet', '-m', 'one')
  const sha = (await git('rev-parse', 'HEAD')).stdout.trim()
  return { repoDir, sha }
}

describe("hints and checks in the action's terms", () => {
  it('hints `if-empty: warn`, not a command-line flag, when nothing is selected', async () => {
    mocks.generatePackage.mockRejectedValue(selectionEmpty(''))
    await run()

    const message = failure()
    expect(message).toContain('[SELECTION_EMPTY] No files were selected')
    expect(message).toContain('set `if-empty: warn` to upload an empty package')
    expect(message).not.toContain('--allow-empty')
  })

  it('says that a `path` does not exist in the commit', async () => {
    const { repoDir, sha } = await commitRepository()
    vi.stubEnv('GITHUB_SHA', sha)
    mocks.findCheckout.mockResolvedValue({ repoDir })
    mocks.generatePackage.mockRejectedValue(selectionEmpty('nope'))
    core.useInputs({ path: 'nope', 'github-token': TOKEN })
    await run()

    expect(failure()).toBe(
      `[SOURCE_NOT_FOUND] \`path\` "nope" does not exist in commit ${sha}.\n` +
        'Hint: Name a folder of the repository at that commit, relative to its root; the action reads the commit, not the files of the workspace.',
    )
  })

  it('keeps the empty-selection failure for a `path` that exists in the commit', async () => {
    const { repoDir, sha } = await commitRepository()
    vi.stubEnv('GITHUB_SHA', sha)
    mocks.findCheckout.mockResolvedValue({ repoDir })
    mocks.generatePackage.mockRejectedValue(selectionEmpty('app'))
    core.useInputs({ path: 'app', include: '*.md', 'github-token': TOKEN })
    await run()

    expect(failure()).toMatch(/^\[SELECTION_EMPTY\] .*\nHint: Check `path`/)
  })

  it('says that a `spicepod` manifest does not exist in the commit', async () => {
    const { repoDir, sha } = await commitRepository()
    vi.stubEnv('GITHUB_SHA', sha)
    mocks.findCheckout.mockResolvedValue({ repoDir })
    mocks.generatePackage.mockRejectedValue(
      new PackwrightError('SPICEPOD_READ_FAILED', 'No spicepod manifest at "pods/spicepod.yaml".'),
    )
    core.useInputs({ spicepod: 'pods/spicepod.yaml', 'github-token': TOKEN })
    await run()

    expect(failure()).toContain(
      `[SOURCE_NOT_FOUND] \`spicepod\` "pods/spicepod.yaml" does not exist in commit ${sha}.`,
    )
  })

  it('fails on an artifact name the run already has before packaging anything', async () => {
    mocks.getArtifact.mockResolvedValue({
      artifact: { name: 'hello-pod-abc1234.zip', id: 17, size: 10 },
    })
    await run()

    expect(mocks.getArtifact).toHaveBeenCalledWith('hello-pod-abc1234.zip')
    expect(failure()).toBe(
      '[ARTIFACT_NAME_TAKEN] An artifact named "hello-pod-abc1234.zip" already exists in this workflow run (id 17); nothing was packaged.\n' +
        'Hint: Set `overwrite: true` to replace it, or give each upload its own `name` (for example with {ref}, or a matrix value).',
    )
    expect(mocks.generatePackage).not.toHaveBeenCalled()
  })

  it('does not look the artifact up with overwrite: true or without an upload', async () => {
    core.useInputs({ overwrite: 'true' })
    await run()
    core.useInputs({ 'upload-artifact': 'false' })
    await run()

    expect(mocks.getArtifact).not.toHaveBeenCalled()
    expect(core.setFailed).not.toHaveBeenCalled()
  })

  it('opens no "Finding the commit" group for a `from` spec', async () => {
    core.useInputs({ from: `git:/elsewhere#${SHA}`, 'github-token': TOKEN })
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.group.mock.calls.map(([name]) => name)).toEqual([
      `Packaging git:/elsewhere#${SHA}`,
      'Uploading artifact hello-pod-abc1234.zip',
    ])
  })

  it('leaves the printing of the result to the packaging log, once', async () => {
    await run()

    const lines = core.info.mock.calls.map(([line]) => line)
    expect(lines.filter((line) => line.includes(DIGEST))).toEqual([])
  })

  it('leaves no empty packwright-* folder in RUNNER_TEMP after a failed run', async () => {
    mocks.generatePackage.mockRejectedValue(selectionEmpty(''))
    await run()

    expect(failure()).toContain('SELECTION_EMPTY')
    expect((await readdir(workDir)).filter((name) => name.startsWith('packwright-'))).toEqual([])
  })

  it('fails `release: true` outside a tag push before packaging', async () => {
    vi.stubEnv('GITHUB_REF', 'refs/heads/main')
    core.useInputs({ release: 'true', 'github-token': TOKEN })
    await run()

    expect(failure()).toBe(
      '[RELEASE_TAG_MISSING] `release: true` needs a tag push, but GITHUB_REF is "refs/heads/main".\n' +
        'Hint: Run the workflow `on: push: tags:` (or `on: release`), or set `release: auto` to attach the package only when a tag is pushed.',
    )
    expect(mocks.generatePackage).not.toHaveBeenCalled()
  })

  it('fails a tag push that would release without a token, before packaging', async () => {
    vi.stubEnv('GITHUB_REF', 'refs/tags/v1.2.3')
    core.useInputs({ 'github-token': '' })
    await run()

    expect(failure()).toContain('[ACTION_INPUT_INVALID] `github-token` is empty')
    expect(mocks.generatePackage).not.toHaveBeenCalled()
  })

  it('makes no release on a branch push with release: auto, or on a tag with release: false', async () => {
    vi.stubEnv('GITHUB_REF', 'refs/heads/main')
    await run()
    vi.stubEnv('GITHUB_REF', 'refs/tags/v1.2.3')
    core.useInputs({ release: 'false', 'github-token': TOKEN })
    await run()

    expect(core.setFailed).not.toHaveBeenCalled()
    expect(core.outputs()['release-id']).toBeUndefined()
    expect(core.group.mock.calls.map(([name]) => name).join('\n')).not.toContain('release')
  })
})
