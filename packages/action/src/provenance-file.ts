import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  PACKWRIGHT_ACTION_BUILDER_ID,
  buildProvenanceStatement,
  formatProvenanceStatement,
  type GeneratedPackage,
  type SourceSpec,
} from '@packwright/core'
import { PACKWRIGHT_VERSION } from './constants.js'
import { type ResolvedSource } from './resolve-source.js'
import { type RunContext } from './run-context.js'

/** `<name>.intoto.json`: the package file name with `.intoto.json` in place of `.zip`. */
export function provenanceFileName(packageFileName: string): string {
  return `${packageFileName.replace(/\.zip$/i, '')}.intoto.json`
}

export interface ProvenanceFileOptions {
  readonly pkg: GeneratedPackage
  readonly fileName: string
  /** The folder the package was written to; the statement is written beside it. */
  readonly outDir: string
  /** The source as given to `generatePackage`, with its options. */
  readonly resolved: ResolvedSource
  readonly compressionLevel: number
  /** Whether the source is this workflow's own commit (not a `from` spec). */
  readonly ownCommit: boolean
  readonly context: RunContext
  /** `GITHUB_REF`: the ref the run was started for (`refs/tags/v1.2.0`). */
  readonly ref: string | undefined
  readonly githubToken: string
}

/** The written statement: where it is and its exact bytes. */
export interface ProvenanceFile {
  readonly name: string
  readonly path: string
  readonly bytes: Buffer
}

/**
 * The source as the statement records it. The workflow's own commit read
 * from the checkout is recorded as that commit on GitHub
 * (`github:{owner}/{repo}/{sha}/{path}`), as when it is read through the
 * REST API: both give the same package, and the statement then names no
 * runner folder, so every runner writes the same statement and anyone can
 * rebuild the package from it (`packwright verify`).
 */
function recordedSource(
  resolved: ResolvedSource,
  ownCommit: boolean,
  context: RunContext,
): string | SourceSpec {
  const { source } = resolved
  if (!ownCommit || typeof source === 'string' || source.kind !== 'git') return source
  return {
    kind: 'github',
    owner: context.owner,
    repo: context.repo,
    ref: source.rev,
    path: source.path,
  }
}

/**
 * Writes the provenance statement of the package beside it: the package as
 * the subject, the source (see {@link recordedSource}) and options given to
 * `generatePackage`, the commit read, and this repository at the run's ref
 * when the commit is the workflow's own. The workflow run (without its attempt number, so a re-run
 * writes the same bytes) is the invocation.
 */
export async function writeProvenanceFile(options: ProvenanceFileOptions): Promise<ProvenanceFile> {
  const { pkg, resolved, context } = options
  const repositoryUrl = `${context.serverUrl}/${context.owner}/${context.repo}`
  const statement = buildProvenanceStatement({
    packageName: options.fileName,
    pkg,
    source: recordedSource(resolved, options.ownCommit, context),
    options: {
      mode: resolved.mode,
      ...(resolved.include === undefined ? {} : { include: resolved.include }),
      ...(resolved.exclude === undefined ? {} : { exclude: resolved.exclude }),
      compressionLevel: options.compressionLevel,
    },
    builderId: PACKWRIGHT_ACTION_BUILDER_ID,
    packwrightVersion: PACKWRIGHT_VERSION,
    githubApiBaseUrl: context.apiUrl,
    ...(options.ownCommit
      ? { repository: { url: repositoryUrl, ref: options.ref || undefined } }
      : {}),
    ...(context.runId === undefined
      ? {}
      : { invocationId: `${repositoryUrl}/actions/runs/${context.runId}` }),
    secrets: [options.githubToken],
  })
  const name = provenanceFileName(options.fileName)
  const path = join(options.outDir, name)
  const bytes = Buffer.from(formatProvenanceStatement(statement))
  await writeFile(path, bytes, { flag: 'wx' })
  return { name, path, bytes }
}
