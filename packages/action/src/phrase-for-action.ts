import {
  isPackwrightError,
  openSourceReader,
  PackwrightError,
  quoteInput,
  type SourceSpec,
} from '@packwright/core'
import { INPUTS } from './constants.js'
import { type PackageSelection } from './inputs.js'

/** Why a selection came out empty, in the action's inputs (core's hints name command-line flags). */
function emptySelectionHint(details: Readonly<Record<string, unknown>>): string {
  const { listed, ignored } = details
  const orWarn = 'or set `if-empty: warn` to upload an empty package.'
  if (listed === 0)
    return `The folder holds no files in the commit: set \`path\` to another folder, ${orWarn}`
  if (typeof listed === 'number' && listed === ignored) {
    return `Every file is ignored: check the \`.packwrightignore\`, \`.cfignore\` or \`.gitignore\` files of the commit, ${orWarn}`
  }
  return `Check \`path\`, the \`include\`/\`exclude\` patterns and the ignore files, ${orWarn}`
}

/** Hints for a package over a reader's limit, by `details.limit`; the action has no inputs to raise them. */
const LIMIT_HINTS: Readonly<Record<string, string>> = {
  maxCompressionRatio:
    'Store the package uncompressed (`compression-level: 0`), or leave the file out with `exclude` or an ignore file.',
  entryNameBytes:
    'Leave the file out with `exclude` or an ignore file, or rename it in the repository.',
}

const PACKAGE_TOO_BIG_HINT =
  'Package less: narrow `path`, or leave files out with `exclude` or an ignore file. The action keeps the limits zip readers apply by default, so every package it makes can be read.'

function actionHintFor(error: PackwrightError): string | undefined {
  if (error.code === 'SELECTION_EMPTY') return emptySelectionHint(error.details)
  if (error.code !== 'PACKAGE_LIMIT_EXCEEDED') return undefined
  const limit = error.details.limit
  return (typeof limit === 'string' ? LIMIT_HINTS[limit] : undefined) ?? PACKAGE_TOO_BIG_HINT
}

/** Whether `path` names nothing (no file, no folder) in the source. */
async function isMissing(
  spec: SourceSpec,
  path: string,
  token: string | undefined,
  apiUrl: string,
) {
  const { reader } = await openSourceReader(spec, {
    github: { apiBaseUrl: apiUrl, token },
  })
  try {
    return (await reader.stat(path)) === undefined && (await reader.list(path)).length === 0
  } finally {
    await reader.close()
  }
}

export interface PhraseForActionOptions {
  readonly selection: PackageSelection
  /** The source the package was read from, when the action chose it. */
  readonly source: string | SourceSpec
  readonly sha: string
  readonly githubToken: string | undefined
  readonly apiUrl: string
}

/**
 * Rewrites a packaging failure in the action's terms: a `path` or `spicepod`
 * that does not exist in the commit says so (`SOURCE_NOT_FOUND`), and hints
 * that name command-line flags name the action's inputs instead. Other
 * failures are returned as they are.
 */
export async function phraseForAction(
  error: unknown,
  options: PhraseForActionOptions,
): Promise<unknown> {
  if (!isPackwrightError(error)) return error
  const { selection, source } = options
  const named =
    selection.kind === 'directory' && selection.path !== ''
      ? { input: INPUTS.path, path: selection.path, what: 'folder' }
      : selection.kind === 'spicepod'
        ? { input: INPUTS.spicepod, path: selection.manifest, what: 'manifest' }
        : undefined
  const suspicious =
    (error.code === 'SELECTION_EMPTY' && named?.input === INPUTS.path) ||
    (error.code === 'SPICEPOD_READ_FAILED' && named?.input === INPUTS.spicepod)
  if (suspicious && named !== undefined && typeof source !== 'string') {
    const missing = await isMissing(source, named.path, options.githubToken, options.apiUrl).catch(
      () => false,
    )
    if (missing) {
      return new PackwrightError(
        'SOURCE_NOT_FOUND',
        `\`${named.input}\` ${quoteInput(named.path)} does not exist in commit ${options.sha}.`,
        {
          hint: `Name a ${named.what} of the repository at that commit, relative to its root; the action reads the commit, not the files of the workspace.`,
          cause: error,
        },
      )
    }
  }
  const hint = actionHintFor(error)
  if (hint === undefined) return error
  return new PackwrightError(error.code, error.message, {
    hint,
    cause: error,
    details: error.details,
  })
}
