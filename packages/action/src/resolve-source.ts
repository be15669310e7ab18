import {
  formatSourceSpec,
  type GeneratePackageOptions,
  type Logger,
  type SourceSpec,
} from '@packwright/core'
import { findCheckout, type CheckoutLookup } from './find-checkout.js'
import { type PackageSelection } from './inputs.js'
import { type RunContext } from './run-context.js'

/** Where the package's files come from, ready for `generatePackage`. */
export interface ResolvedSource {
  readonly source: string | SourceSpec
  readonly mode: NonNullable<GeneratePackageOptions['mode']>
  /** The source as a spec string, for logs and the job summary (no secrets). */
  readonly description: string
  /** Whether files are read over the GitHub REST API (and so need the token). */
  readonly readsApi: boolean
  readonly include?: readonly string[]
  readonly exclude?: readonly string[]
}

/** Only the glob lists that were given: an empty list would select nothing. */
function globsOf(include: readonly string[], exclude: readonly string[]): Globs {
  return {
    ...(include.length === 0 ? {} : { include }),
    ...(exclude.length === 0 ? {} : { exclude }),
  }
}

type Globs = Pick<ResolvedSource, 'include' | 'exclude'>

/**
 * Decides where the commit's files are read from: the workspace's git object
 * database when it holds the commit (the usual actions/checkout case), else
 * the GitHub REST API, so the action also works without a checkout. A `from`
 * spec is used as given.
 */
export async function resolveSource(
  selection: PackageSelection,
  context: RunContext,
  logger: Logger,
): Promise<ResolvedSource> {
  if (selection.kind === 'spec') {
    return {
      source: selection.from,
      mode: 'auto',
      description: selection.from,
      readsApi: selection.from.startsWith('github:'),
      ...globsOf(selection.include, selection.exclude),
    }
  }
  const path = selection.kind === 'spicepod' ? selection.manifest : selection.path
  const mode = selection.kind === 'spicepod' ? 'spicepod' : 'directory'
  const globs = selection.kind === 'directory' ? globsOf(selection.include, selection.exclude) : {}

  const found: CheckoutLookup =
    context.workspace === undefined
      ? { reason: 'GITHUB_WORKSPACE is not set' }
      : await findCheckout(context.workspace, context.sha)
  let spec: SourceSpec
  if ('repoDir' in found) {
    spec = { kind: 'git', repoDir: found.repoDir, rev: context.sha, path }
    logger.info(`Reading commit ${context.sha} from the git checkout in ${found.repoDir}`)
  } else {
    spec = { kind: 'github', owner: context.owner, repo: context.repo, ref: context.sha, path }
    logger.info(`Reading commit ${context.sha} through the GitHub REST API: ${found.reason}`)
  }
  return {
    source: spec,
    mode,
    description: formatSourceSpec(spec),
    readsApi: spec.kind === 'github',
    ...globs,
  }
}
