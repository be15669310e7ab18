import { stat } from 'node:fs/promises'
import { basename, dirname, resolve } from 'node:path'
import { PackwrightError, quoteInput } from '../errors.js'
import { type Logger } from '../logger.js'
import { createGitHubReader } from './github-reader.js'
import { type GitHubTimeouts } from './github-timeouts.js'
import { createGitRepositoryReader } from './git-repository-reader.js'
import { createLocalFolderReader } from './local-folder-reader.js'
import { type SourceReader } from './source-reader.js'
import { type SourceSpec } from './source-spec.js'
import { throwIfAborted } from '../_internal/abort.js'

export interface OpenSourceReaderOptions {
  /** How to reach GitHub for `github:` specs. */
  readonly github?: {
    /** REST API base URL. @default 'https://api.github.com' */
    readonly apiBaseUrl?: string | undefined
    /** Sent as `Authorization: Bearer …`; never logged or put in errors. */
    readonly token?: string | undefined
    readonly fetch?: typeof fetch | undefined
    /** Connect, idle, per-request and whole-read timeouts (see `GitHubTimeouts`). */
    readonly timeouts?: GitHubTimeouts | undefined
  }
  /** Accept branch and tag names where a commit SHA is expected. @default false */
  readonly allowRefs?: boolean
  readonly signal?: AbortSignal | undefined
  readonly logger?: Logger | undefined
}

export interface OpenedSource {
  readonly reader: SourceReader
  /** The spec's path inside the reader ('' for the reader's root). */
  readonly path: string
}

const COMMIT_SHA = /^[0-9a-fA-F]{7,40}$/

/**
 * Opens the reader for a parsed source spec. For a local file, the reader is
 * rooted at the file's folder and `path` is the file name.
 *
 * @throws PackwrightError `INVALID_ARGUMENT` for docker specs (no bits),
 *   `SOURCE_SPEC_INVALID` for a ref where refs are not allowed,
 *   `SOURCE_NOT_FOUND` for a missing local path, and whatever the chosen
 *   reader throws while opening.
 */
export async function openSourceReader(
  spec: SourceSpec,
  options: OpenSourceReaderOptions = {},
): Promise<OpenedSource> {
  const { signal, logger } = options
  throwIfAborted(signal, 'Opening the source')
  switch (spec.kind) {
    case 'github': {
      requireCommitSha(spec.ref, options.allowRefs ?? false, 'github')
      const reader = await createGitHubReader({
        owner: spec.owner,
        repo: spec.repo,
        ref: spec.ref,
        apiBaseUrl: options.github?.apiBaseUrl,
        token: options.github?.token,
        fetch: options.github?.fetch,
        timeouts: options.github?.timeouts,
        signal,
        logger,
      })
      return { reader, path: spec.path }
    }
    case 'git': {
      requireCommitSha(spec.rev, options.allowRefs ?? false, 'git')
      const reader = await createGitRepositoryReader({
        repoDir: spec.repoDir,
        rev: spec.rev,
        ...(signal === undefined ? {} : { signal }),
        ...(logger === undefined ? {} : { logger }),
      })
      return { reader, path: spec.path }
    }
    case 'local': {
      const full = resolve(spec.path)
      let isFile: boolean
      try {
        isFile = (await stat(full)).isFile()
      } catch (error) {
        throw new PackwrightError(
          'SOURCE_NOT_FOUND',
          `The local source ${quoteInput(spec.path)} does not exist.`,
          { cause: error, details: { path: full } },
        )
      }
      const readerOptions = signal === undefined ? {} : { signal }
      if (isFile) {
        const reader = await createLocalFolderReader(dirname(full), readerOptions)
        return { reader, path: basename(full) }
      }
      return { reader: await createLocalFolderReader(full, readerOptions), path: '' }
    }
    case 'docker':
      throw new PackwrightError(
        'INVALID_ARGUMENT',
        `The docker source ${quoteInput(spec.image)} has no files to read: docker packages carry an image reference, not bits.`,
        { details: { image: spec.image } },
      )
  }
}

function requireCommitSha(rev: string, allowRefs: boolean, kind: string): void {
  if (allowRefs || COMMIT_SHA.test(rev)) return
  throw new PackwrightError(
    'SOURCE_SPEC_INVALID',
    `The ${kind} source names ${quoteInput(rev)}, which is not a commit SHA (7–40 hexadecimal characters); branch and tag names are accepted only when refs are allowed.`,
    { details: { reason: 'sha-invalid', rev: quoteInput(rev) } },
  )
}
