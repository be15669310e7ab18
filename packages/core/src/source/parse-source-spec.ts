import { PackwrightError, quoteInput } from '../errors.js'
import { type SourceSpec } from './source-spec.js'

/**
 * The message the Spice endpoint answers with (HTTP 400) when `from` is not a
 * usable `github:` source; reproduced byte for byte.
 */
export const SPICE_FROM_INVALID_MESSAGE =
  'Invalid `from` field, specify a github source and retry (e.g. github:{org}/{repo}/{sha}/{path_to_spicepod.yaml})'

/** The forms `parseSourceSpec` accepts, for messages. */
export const ACCEPTED_SOURCE_FORMS =
  '`github:{org}/{repo}/{sha}/{path}`, `git:{repoDir}#{rev}[:{path}]`, `file:{path}`, ' +
  'a plain local path (`./app`, `app`, `/abs/app`), or `docker://image[:tag]`'

export interface ParseSourceSpecOptions {
  /** Accept branch and tag names where a commit SHA is expected. @default false */
  readonly allowRefs?: boolean
}

type GitHubSpec = Extract<SourceSpec, { kind: 'github' }>

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/
const COMMIT_SHA = /^[0-9a-fA-F]{7,40}$/
// GitHub user and organisation logins: alphanumerics and hyphens, not starting with a hyphen.
const GITHUB_OWNER = /^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/
const GITHUB_REPO = /^[A-Za-z0-9._-]{1,100}$/
// A scheme-like prefix (`foo:`), as opposed to a Windows drive (`C:\` or `C:/`).
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/
const WINDOWS_DRIVE = /^[A-Za-z]:[\\/]/

// Docker image references (distribution's reference grammar, simplified):
// [registry[:port]/]component(/component)*[:tag][@algorithm:hex]
const DOMAIN_PART = '(?:[A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9-]*[A-Za-z0-9])'
const DOMAIN = `${DOMAIN_PART}(?:\\.${DOMAIN_PART})*(?::[0-9]+)?`
const NAME_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const TAG = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}'
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}'
const DOCKER_IMAGE = new RegExp(
  `^(?:${DOMAIN}/)?${NAME_COMPONENT}(?:/${NAME_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`,
)

const REFS_HINT =
  'Name the commit by its SHA (`git rev-parse <ref>`), or allow branch and tag names (CLI: --allow-refs), knowing the package then follows the ref.'

function invalid(
  spec: string,
  message: string,
  reason: string,
  extra: Record<string, unknown> = {},
  hint?: string,
): PackwrightError {
  return new PackwrightError('SOURCE_SPEC_INVALID', message, {
    ...(hint === undefined ? {} : { hint }),
    details: { spec: quoteInput(spec), reason, ...extra },
  })
}

function spiceInvalid(spec: string, reason: string): PackwrightError {
  return invalid(
    spec,
    SPICE_FROM_INVALID_MESSAGE,
    reason,
    {},
    'A github source has four parts: github:{org}/{repo}/{sha}/{path}.',
  )
}

/** Describes a control character for a message (`U+000A`). */
function describeControl(text: string): string {
  const found = CONTROL.exec(text)
  const code = found === null ? 0 : (found[0].codePointAt(0) ?? 0)
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * Checks a commit SHA, or (when refs are allowed) a branch or tag name, and
 * returns the problem as the end of a sentence, or undefined when valid.
 */
function findRevisionProblem(rev: string, allowRefs: boolean): string | undefined {
  if (COMMIT_SHA.test(rev)) return undefined
  if (!allowRefs) {
    return 'is not a commit SHA'
  }
  if (rev === '') return 'is empty'
  if (CONTROL.test(rev)) return `contains a control character (${describeControl(rev)})`
  if (rev.startsWith('-')) return 'starts with `-`'
  if (rev.includes('..')) return 'contains `..`'
  if (/[\s~^:?*[\\]/.test(rev) || rev.includes('@{')) {
    return 'contains a character git does not allow in ref names (space, `~ ^ : ? * [ \\` or `@{`)'
  }
  if (rev.endsWith('.') || rev.endsWith('/') || rev.endsWith('.lock') || rev.startsWith('/')) {
    return 'is not a valid ref name (it starts or ends with `/`, or ends with `.` or `.lock`)'
  }
  if (rev.split('/').some((part) => part === '' || part.startsWith('.'))) {
    return 'is not a valid ref name (empty component, or a component starting with `.`)'
  }
  return undefined
}

/**
 * Checks a relative POSIX path inside a source: no empty, `.` or `..`
 * segments and no control characters. Returns the problem, or undefined.
 */
function findRelativePathProblem(path: string): { reason: string; message: string } | undefined {
  for (const segment of path.split('/')) {
    if (segment === '') {
      return {
        reason: 'empty-segment',
        message: 'has an empty segment (`//`, or a leading or trailing `/`)',
      }
    }
    if (segment === '..' || segment === '.') {
      return { reason: 'dot-segment', message: `has a \`${segment}\` segment` }
    }
    if (CONTROL.test(segment)) {
      return {
        reason: 'control-character',
        message: `has a segment ${quoteInput(segment, 60)} containing a control character (${describeControl(segment)})`,
      }
    }
  }
  return undefined
}

/**
 * Parses `from` with the Spice endpoint's semantics: only
 * `github:{org}/{repo}/{sha}/{path}` is accepted.
 *
 * @throws PackwrightError `SOURCE_SPEC_INVALID` with Spice's exact message
 *   where Spice would answer 400, or a specific message (and
 *   `details.reason`) where packwright is stricter.
 */
export function parseSpiceFrom(from: string, options: ParseSourceSpecOptions = {}): GitHubSpec {
  if (!from.startsWith('github:')) throw spiceInvalid(from, 'not-github')
  const body = from.slice('github:'.length)
  if (body.includes(':')) {
    throw invalid(
      from,
      `Invalid github source ${quoteInput(from)}: it contains a second \`:\`, which Spice would silently cut off; expected github:{org}/{repo}/{sha}/{path} without \`:\`.`,
      'second-colon',
    )
  }
  const parts: string[] = []
  let rest = body
  while (parts.length < 3) {
    const slash = rest.indexOf('/')
    if (slash < 0) break
    parts.push(rest.slice(0, slash))
    rest = rest.slice(slash + 1)
  }
  if (parts.length < 3) throw spiceInvalid(from, 'too-few-parts')
  const [owner = '', repo = '', ref = ''] = parts
  const path = rest
  const allowRefs = options.allowRefs ?? false

  const checkSegment = (field: string, value: string, expected: string): void => {
    let problem: { reason: string; text: string } | undefined
    if (value === '') problem = { reason: 'empty-segment', text: 'is empty' }
    else if (value === '.' || value === '..') {
      problem = { reason: 'dot-segment', text: `is \`${value}\`` }
    } else if (CONTROL.test(value)) {
      problem = {
        reason: 'control-character',
        text: `contains a control character (${describeControl(value)})`,
      }
    }
    if (problem !== undefined) {
      throw invalid(
        from,
        `Invalid github source ${quoteInput(from)}: the ${field} segment ${problem.text}; expected ${expected}.`,
        problem.reason,
        { segment: field, expected },
      )
    }
  }
  const ownerExpected = 'a GitHub user or organisation name (letters, digits and `-`, at most 39)'
  const repoExpected = 'a repository name (letters, digits, `.`, `_` and `-`, at most 100)'
  const refExpected = allowRefs
    ? 'a commit SHA (7–40 hexadecimal characters) or a branch or tag name'
    : 'a commit SHA (7–40 hexadecimal characters)'
  checkSegment('org', owner, ownerExpected)
  checkSegment('repo', repo, repoExpected)
  checkSegment('sha', ref, refExpected)
  if (!GITHUB_OWNER.test(owner)) {
    throw invalid(
      from,
      `Invalid github source ${quoteInput(from)}: the org segment ${quoteInput(owner, 60)} is not a GitHub name; expected ${ownerExpected}.`,
      'owner-charset',
      { segment: 'org', expected: ownerExpected },
    )
  }
  if (!GITHUB_REPO.test(repo)) {
    throw invalid(
      from,
      `Invalid github source ${quoteInput(from)}: the repo segment ${quoteInput(repo, 60)} is not a GitHub repository name; expected ${repoExpected}.`,
      'repo-charset',
      { segment: 'repo', expected: repoExpected },
    )
  }
  const revProblem = findRevisionProblem(ref, allowRefs)
  if (revProblem !== undefined) {
    throw invalid(
      from,
      `Invalid github source ${quoteInput(from)}: the sha segment ${quoteInput(ref, 60)} ${revProblem}; expected ${refExpected}.`,
      allowRefs ? 'ref-invalid' : 'sha-invalid',
      { segment: 'sha', expected: refExpected },
      allowRefs ? undefined : REFS_HINT,
    )
  }
  if (path !== '') {
    const pathProblem = findRelativePathProblem(path)
    if (pathProblem !== undefined) {
      throw invalid(
        from,
        `Invalid github source ${quoteInput(from)}: the path ${quoteInput(path, 100)} ${pathProblem.message}; expected a relative path inside the repository.`,
        pathProblem.reason,
        { segment: 'path', expected: 'a relative path inside the repository' },
      )
    }
  }
  return { kind: 'github', owner, repo, ref, path }
}

function parseGitSpec(text: string, allowRefs: boolean): SourceSpec {
  const body = text.slice('git:'.length)
  const hash = body.lastIndexOf('#')
  const expected = 'git:{repoDir}#{rev} or git:{repoDir}#{rev}:{path}'
  if (hash < 0) {
    throw invalid(
      text,
      `Invalid git source ${quoteInput(text)}: there is no \`#\` before the revision; expected ${expected}.`,
      'git-missing-rev',
      { expected },
    )
  }
  const repoDir = body.slice(0, hash)
  const afterHash = body.slice(hash + 1)
  const colon = afterHash.indexOf(':')
  const rev = colon < 0 ? afterHash : afterHash.slice(0, colon)
  const path = colon < 0 ? '' : afterHash.slice(colon + 1)
  if (repoDir === '') {
    throw invalid(
      text,
      `Invalid git source ${quoteInput(text)}: the repository folder is empty; expected ${expected}.`,
      'git-missing-repo',
      { segment: 'repoDir', expected },
    )
  }
  if (CONTROL.test(repoDir)) {
    throw invalid(
      text,
      `Invalid git source ${quoteInput(text)}: the repository folder contains a control character (${describeControl(repoDir)}); expected a folder path.`,
      'control-character',
      { segment: 'repoDir', expected: 'a folder path' },
    )
  }
  const revExpected = allowRefs
    ? 'a commit SHA (7–40 hexadecimal characters) or a branch or tag name'
    : 'a commit SHA (7–40 hexadecimal characters)'
  const revProblem = findRevisionProblem(rev, allowRefs)
  if (revProblem !== undefined) {
    throw invalid(
      text,
      `Invalid git source ${quoteInput(text)}: the revision ${quoteInput(rev, 60)} ${rev === '' ? 'is empty' : revProblem}; expected ${revExpected}.`,
      rev === '' ? 'git-missing-rev' : allowRefs ? 'ref-invalid' : 'sha-invalid',
      { segment: 'rev', expected: revExpected },
      allowRefs || rev === '' ? undefined : REFS_HINT,
    )
  }
  if (colon >= 0) {
    const problem =
      path === ''
        ? { reason: 'empty-segment', message: 'is empty (leave out the `:` for the whole tree)' }
        : findRelativePathProblem(path)
    if (problem !== undefined) {
      throw invalid(
        text,
        `Invalid git source ${quoteInput(text)}: the path ${quoteInput(path, 100)} ${problem.message}; expected a relative path inside the repository.`,
        problem.reason,
        { segment: 'path', expected: 'a relative path inside the repository' },
      )
    }
  }
  return { kind: 'git', repoDir, rev, path }
}

function parseLocalPath(text: string, path: string): SourceSpec {
  if (path === '') {
    throw invalid(
      text,
      `Invalid local source ${quoteInput(text)}: the path is empty; expected a folder or file path such as ./app.`,
      'empty-path',
      { expected: 'a folder or file path' },
    )
  }
  if (CONTROL.test(path)) {
    throw invalid(
      text,
      `Invalid local source ${quoteInput(text)}: the path contains a control character (${describeControl(path)}); expected a folder or file path.`,
      'control-character',
      { expected: 'a folder or file path' },
    )
  }
  return { kind: 'local', path }
}

function parseFileSpec(text: string): SourceSpec {
  let path = text.slice('file:'.length)
  if (path.startsWith('//')) {
    // URL form: only `file:///abs/path` (an empty host) is a local path.
    if (!path.startsWith('///')) {
      throw invalid(
        text,
        `Invalid local source ${quoteInput(text)}: \`file://\` URLs must have an empty host (file:///abs/path); expected file:./app, file:/abs/app or file:///abs/app.`,
        'file-url-host',
        { expected: 'file:{path}' },
      )
    }
    path = path.slice(2)
  }
  return parseLocalPath(text, path)
}

function parseDockerSpec(text: string): SourceSpec {
  const image = text.slice('docker://'.length)
  const expected =
    'an image reference such as nginx, nginx:1.27 or registry.example.com:5000/team/app:v1'
  if (image.length === 0 || image.length > 512 || !DOCKER_IMAGE.test(image)) {
    throw invalid(
      text,
      `Invalid docker source ${quoteInput(text)}: ${image === '' ? 'the image is empty' : `${quoteInput(image, 100)} is not an image reference`}; expected ${expected}.`,
      'docker-image-invalid',
      { expected },
    )
  }
  return { kind: 'docker', image }
}

/**
 * A `github:` spec outside the Spice endpoint: the Spice rules, but where
 * Spice answers with its message about a `from` field, say in packwright's
 * words what is missing.
 */
function parseGitHubSpec(text: string, options: ParseSourceSpecOptions): GitHubSpec {
  try {
    return parseSpiceFrom(text, options)
  } catch (error) {
    if (!(error instanceof PackwrightError) || error.message !== SPICE_FROM_INVALID_MESSAGE) {
      throw error
    }
    throw invalid(
      text,
      `Invalid github source ${quoteInput(text)}: it has fewer than four parts; expected github:{org}/{repo}/{sha}/{path}, such as github:octo-org/hello-pod/3f2c1ab/spicepod.yaml.`,
      String(error.details.reason),
    )
  }
}

/**
 * Parses a source spec: `github:{org}/{repo}/{sha}/{path}`,
 * `git:{repoDir}#{rev}[:{path}]`, `file:{path}`, a plain local path, or
 * `docker://image[:tag]`.
 *
 * @throws PackwrightError `SOURCE_SPEC_INVALID` naming what was wrong and
 *   what was expected (`details.reason` says which rule failed).
 */
export function parseSourceSpec(text: string, options: ParseSourceSpecOptions = {}): SourceSpec {
  const allowRefs = options.allowRefs ?? false
  if (text.startsWith('github:')) return parseGitHubSpec(text, options)
  if (text.startsWith('git:')) return parseGitSpec(text, allowRefs)
  if (text.startsWith('file:')) return parseFileSpec(text)
  if (text.startsWith('docker://')) return parseDockerSpec(text)
  if (SCHEME.test(text) && !WINDOWS_DRIVE.test(text)) {
    const scheme = text.slice(0, text.indexOf(':') + 1)
    throw invalid(
      text,
      `Invalid source ${quoteInput(text)}: unknown scheme ${quoteInput(scheme, 40)}; expected ${ACCEPTED_SOURCE_FORMS}.`,
      'unknown-scheme',
      { expected: ACCEPTED_SOURCE_FORMS },
      'Scheme names are case-sensitive; a local path containing `:` can be written as ./name.',
    )
  }
  return parseLocalPath(text, text)
}
