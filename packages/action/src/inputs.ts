import * as core from '@actions/core'
import { isPackwrightError, parseSourceSpec } from '@packwright/core'
import {
  COMPRESSION_LEVEL_RANGE,
  DEFAULTS,
  IF_EMPTY_VALUES,
  INPUTS,
  RELEASE_VALUES,
  RETENTION_DAYS_RANGE,
  type IfEmpty,
  type InputName,
  type ReleaseWhen,
} from './constants.js'
import { InputError } from './input-error.js'
import { findNameTemplateProblems } from './name-template.js'

/** What to package, from `spicepod`, `path` (+ globs) or `from`. */
export type PackageSelection =
  /** A spicepod manifest in the repository and everything it links. */
  | { readonly kind: 'spicepod'; readonly manifest: string }
  /** A folder of the repository ('' for the root), filtered by globs. */
  | {
      readonly kind: 'directory'
      readonly path: string
      readonly include: readonly string[]
      readonly exclude: readonly string[]
    }
  /** A full source spec; the mode follows from it. */
  | {
      readonly kind: 'spec'
      readonly from: string
      readonly include: readonly string[]
      readonly exclude: readonly string[]
    }

/** The action's inputs, read and validated. */
export interface ActionInputs {
  readonly selection: PackageSelection
  /** The `name` template, checked but not yet rendered. */
  readonly nameTemplate: string
  readonly uploadArtifact: boolean
  /** Days to keep the artifact; undefined keeps the repository's default. */
  readonly retentionDays: number | undefined
  readonly compressionLevel: number
  readonly overwrite: boolean
  readonly ifEmpty: IfEmpty
  /** The token for the REST API ('' when none was given). */
  readonly githubToken: string
  /** When to attach the package to the GitHub Release of the pushed tag. */
  readonly release: ReleaseWhen
  /** Leave the release a draft instead of publishing it once its assets are attached. */
  readonly releaseDraft: boolean
  /** The release title when the action creates the release; undefined means the tag. */
  readonly releaseName: string | undefined
  /** Write the package's provenance statement (and attach it to the release). */
  readonly provenance: boolean
}

function quote(value: string): string {
  return JSON.stringify(value.length > 200 ? `${value.slice(0, 200)}…` : value)
}

/** Collects one sentence per bad input while the inputs are read. */
class Problems {
  readonly list: string[] = []
  add(input: InputName, message: string): void {
    this.list.push(`\`${input}\` ${message}`)
  }
}

function readBoolean(input: InputName, fallback: boolean, problems: Problems): boolean {
  if (core.getInput(input) === '') return fallback
  try {
    return core.getBooleanInput(input)
  } catch {
    problems.add(input, `must be true or false, got ${quote(core.getInput(input))}`)
    return fallback
  }
}

function readInteger(
  input: InputName,
  range: { readonly min: number; readonly max: number },
  problems: Problems,
): number | undefined {
  const raw = core.getInput(input)
  if (raw === '') return undefined
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isSafeInteger(value) || value < range.min || value > range.max) {
    problems.add(
      input,
      `must be a whole number from ${range.min} to ${range.max}, got ${quote(raw)}`,
    )
    return undefined
  }
  return value
}

/**
 * Normalises a path inside the repository: POSIX separators, no `.` segments,
 * no trailing slash; '' is the repository root. Returns undefined (and records
 * a problem) for absolute paths, `..` segments, backslashes and control characters.
 */
function readRepoPath(input: InputName, raw: string, problems: Problems): string | undefined {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(raw)) {
    problems.add(input, `contains a control character: ${quote(raw)}`)
    return undefined
  }
  if (raw.includes('\\')) {
    problems.add(input, `must use forward slashes, got ${quote(raw)}`)
    return undefined
  }
  if (raw.startsWith('/')) {
    problems.add(input, `must be relative to the repository root, got ${quote(raw)}`)
    return undefined
  }
  const segments = raw.split('/').filter((segment) => segment !== '' && segment !== '.')
  if (segments.includes('..')) {
    problems.add(input, `must stay inside the repository (no ".." segments), got ${quote(raw)}`)
    return undefined
  }
  return segments.join('/')
}

/**
 * Checks a `from` spec up front, so a bad one is listed with the other bad
 * inputs. Only commit sources are accepted: the action packages a commit,
 * never the runner's working tree.
 */
function readSourceSpec(from: string, problems: Problems): void {
  let kind: string
  try {
    kind = parseSourceSpec(from).kind
  } catch (error) {
    if (!isPackwrightError(error)) throw error
    problems.list.push(`\`${INPUTS.from}\`: ${error.message}`)
    return
  }
  if (kind !== 'github' && kind !== 'git') {
    problems.add(
      INPUTS.from,
      `must be a commit source, \`github:{owner}/{repo}/{sha}[/{path}]\` or \`git:{repoDir}#{sha}[:{path}]\`, got ${quote(from)}; ` +
        'a folder on the runner would package the working tree, not the commit (use `path` for a folder of this repository)',
    )
  }
}

function readSelection(problems: Problems): PackageSelection {
  const spicepod = core.getInput(INPUTS.spicepod)
  const path = core.getInput(INPUTS.path)
  const from = core.getInput(INPUTS.from)
  const include = core.getMultilineInput(INPUTS.include)
  const exclude = core.getMultilineInput(INPUTS.exclude)

  const given = [
    spicepod === '' ? undefined : INPUTS.spicepod,
    path === '' ? undefined : INPUTS.path,
    from === '' ? undefined : INPUTS.from,
  ].filter((name) => name !== undefined)
  if (given.length > 1) {
    problems.list.push(
      `\`spicepod\`, \`path\` and \`from\` are alternatives; set at most one (got ${given
        .map((name) => `\`${name}\``)
        .join(', ')})`,
    )
  }

  if (from !== '') {
    readSourceSpec(from, problems)
    return { kind: 'spec', from, include, exclude }
  }
  if (spicepod !== '') {
    if (include.length > 0 || exclude.length > 0) {
      problems.list.push(
        '`include` and `exclude` apply to directory packages; a spicepod package holds the manifest and what it links (use `path` to package a folder)',
      )
    }
    const manifest = readRepoPath(INPUTS.spicepod, spicepod, problems)
    if (manifest === '') problems.add(INPUTS.spicepod, 'must name a manifest file, got the root')
    return { kind: 'spicepod', manifest: manifest ?? '' }
  }
  return {
    kind: 'directory',
    path: readRepoPath(INPUTS.path, path, problems) ?? '',
    include,
    exclude,
  }
}

/**
 * Reads every input of the action and validates them together.
 * @throws InputError listing every bad input, never just the first.
 */
export function readInputs(): ActionInputs {
  const problems = new Problems()
  const selection = readSelection(problems)

  const nameTemplate = core.getInput(INPUTS.name) || DEFAULTS.name
  for (const problem of findNameTemplateProblems(nameTemplate)) problems.add(INPUTS.name, problem)

  const uploadArtifact = readBoolean(INPUTS.uploadArtifact, DEFAULTS.uploadArtifact, problems)
  const overwrite = readBoolean(INPUTS.overwrite, DEFAULTS.overwrite, problems)
  const retentionDays = readInteger(INPUTS.retentionDays, RETENTION_DAYS_RANGE, problems)
  const compressionLevel =
    readInteger(INPUTS.compressionLevel, COMPRESSION_LEVEL_RANGE, problems) ??
    DEFAULTS.compressionLevel

  const ifEmptyRaw = core.getInput(INPUTS.ifEmpty) || DEFAULTS.ifEmpty
  const ifEmpty = IF_EMPTY_VALUES.find((value) => value === ifEmptyRaw)
  if (ifEmpty === undefined) {
    problems.add(
      INPUTS.ifEmpty,
      `must be one of ${IF_EMPTY_VALUES.join(', ')}, got ${quote(ifEmptyRaw)}`,
    )
  }

  const releaseRaw = core.getInput(INPUTS.release) || DEFAULTS.release
  const release = RELEASE_VALUES.find((value) => value === releaseRaw)
  if (release === undefined) {
    problems.add(
      INPUTS.release,
      `must be one of ${RELEASE_VALUES.join(', ')}, got ${quote(releaseRaw)}`,
    )
  }
  const releaseDraft = readBoolean(INPUTS.releaseDraft, DEFAULTS.releaseDraft, problems)
  const releaseName = core.getInput(INPUTS.releaseName)
  const provenance = readBoolean(INPUTS.provenance, DEFAULTS.provenance, problems)
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(releaseName)) {
    problems.add(INPUTS.releaseName, `contains a control character: ${quote(releaseName)}`)
  }

  if (problems.list.length > 0) throw new InputError(problems.list)
  return {
    selection,
    nameTemplate,
    uploadArtifact,
    retentionDays: retentionDays === 0 ? undefined : retentionDays,
    compressionLevel,
    overwrite,
    ifEmpty: ifEmpty ?? DEFAULTS.ifEmpty,
    githubToken: core.getInput(INPUTS.githubToken),
    release: release ?? DEFAULTS.release,
    releaseDraft,
    releaseName: releaseName === '' ? undefined : releaseName,
    provenance,
  }
}
