import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { formatSourceSpec } from './format-source-spec.js'
import {
  ACCEPTED_SOURCE_FORMS,
  type ParseSourceSpecOptions,
  SPICE_FROM_INVALID_MESSAGE,
  parseSourceSpec,
  parseSpiceFrom,
} from './parse-source-spec.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'

function failure(run: () => unknown): PackwrightError {
  try {
    run()
  } catch (error) {
    if (error instanceof PackwrightError) return error
    throw error
  }
  throw new Error('expected a PackwrightError, nothing was thrown')
}

describe('parseSpiceFrom', () => {
  it('splits the text after github: into org, repo, sha and path (the path keeps its slashes)', () => {
    expect(parseSpiceFrom(`github:spiceai/registry/${SHA}/spicepods/a/b/spicepod.yaml`)).toEqual({
      kind: 'github',
      owner: 'spiceai',
      repo: 'registry',
      ref: SHA,
      path: 'spicepods/a/b/spicepod.yaml',
    })
    expect(parseSpiceFrom('github:o/r.js/abc1234/spicepod.yaml')).toMatchObject({
      repo: 'r.js',
      ref: 'abc1234',
    })
  })

  it('accepts an empty path (the repository root) and upper-case hex', () => {
    expect(parseSpiceFrom(`github:o/r/${SHA.toUpperCase()}/`)).toMatchObject({ path: '' })
  })

  it.each([
    ['no prefix', `spiceai/registry/${SHA}/spicepod.yaml`, 'not-github'],
    ['capitalised prefix', `GitHub:o/r/${SHA}/spicepod.yaml`, 'not-github'],
    ['git: source', `git:.#${SHA}`, 'not-github'],
    ['empty', '', 'not-github'],
    ['three parts', `github:o/r/${SHA}`, 'too-few-parts'],
    ['two parts', 'github:o/r', 'too-few-parts'],
    ['one part', 'github:o', 'too-few-parts'],
    ['nothing after the prefix', 'github:', 'too-few-parts'],
  ])('answers with the Spice message where Spice answers 400: %s', (_name, from, reason) => {
    const error = failure(() => parseSpiceFrom(from))
    expect(error.code).toBe('SOURCE_SPEC_INVALID')
    expect(error.message).toBe(SPICE_FROM_INVALID_MESSAGE)
    expect(error.details.reason).toBe(reason)
  })

  it('reproduces the Spice message byte for byte', () => {
    expect(SPICE_FROM_INVALID_MESSAGE).toBe(
      'Invalid `from` field, specify a github source and retry (e.g. github:{org}/{repo}/{sha}/{path_to_spicepod.yaml})',
    )
  })

  it.each([
    ['a second colon', `github:o/r/${SHA}/a.yaml:extra`, 'second-colon', /second `:`/],
    ['a `..` path segment', `github:o/r/${SHA}/../etc/passwd`, 'dot-segment', /`\.\.` segment/],
    ['a `.` path segment', `github:o/r/${SHA}/./spicepod.yaml`, 'dot-segment', /`\.` segment/],
    [
      'an empty path segment',
      `github:o/r/${SHA}/a//spicepod.yaml`,
      'empty-segment',
      /empty segment/,
    ],
    ['a leading slash in the path', `github:o/r/${SHA}//spicepod.yaml`, 'empty-segment', /empty/],
    ['a trailing slash in the path', `github:o/r/${SHA}/pods/`, 'empty-segment', /empty/],
    [
      'a control character in the path',
      `github:o/r/${SHA}/a\nb.yaml`,
      'control-character',
      /U\+000A/,
    ],
    ['a DEL in the path', `github:o/r/${SHA}/a\u007f.yaml`, 'control-character', /U\+007F/],
    ['an empty org', `github:/r/${SHA}/p.yaml`, 'empty-segment', /org segment is empty/],
    ['an empty repo', `github:o//${SHA}/p.yaml`, 'empty-segment', /repo segment is empty/],
    ['an empty sha', 'github:o/r//p.yaml', 'empty-segment', /sha segment is empty/],
    ['a `..` org', `github:../r/${SHA}/p.yaml`, 'dot-segment', /org segment is `\.\.`/],
    ['a `..` repo', `github:o/../${SHA}/p.yaml`, 'dot-segment', /repo segment is `\.\.`/],
    ['a `.` repo', `github:o/./${SHA}/p.yaml`, 'dot-segment', /repo segment is `\.`/],
    ['a control character in the org', `github:o\tx/r/${SHA}/p.yaml`, 'control-character', /org/],
    ['an org with an underscore', `github:my_org/r/${SHA}/p.yaml`, 'owner-charset', /org segment/],
    [
      'an org starting with a hyphen',
      `github:-org/r/${SHA}/p.yaml`,
      'owner-charset',
      /org segment/,
    ],
    ['an org of 40 characters', `github:${'a'.repeat(40)}/r/${SHA}/p.yaml`, 'owner-charset', /org/],
    ['a repo with a space', `github:o/my repo/${SHA}/p.yaml`, 'repo-charset', /repo segment/],
    ['a repo with a percent', `github:o/r%2e/${SHA}/p.yaml`, 'repo-charset', /repo segment/],
    ['a branch name', 'github:o/r/main/spicepod.yaml', 'sha-invalid', /sha segment "main"/],
    ['a 6-character sha', 'github:o/r/abc123/spicepod.yaml', 'sha-invalid', /7–40 hexadecimal/],
    ['a 41-character sha', `github:o/r/${SHA}a/spicepod.yaml`, 'sha-invalid', /7–40 hexadecimal/],
    ['a non-hex sha', 'github:o/r/abcdefg/spicepod.yaml', 'sha-invalid', /7–40 hexadecimal/],
  ])('is stricter than Spice: rejects %s', (_name, from, reason, message) => {
    const error = failure(() => parseSpiceFrom(from))
    expect(error.code).toBe('SOURCE_SPEC_INVALID')
    expect(error.message).not.toBe(SPICE_FROM_INVALID_MESSAGE)
    expect(error.message).toMatch(message)
    expect(error.details.reason).toBe(reason)
  })

  it('accepts branch and tag names only when refs are allowed', () => {
    const allow: ParseSourceSpecOptions = { allowRefs: true }
    expect(parseSpiceFrom('github:o/r/main/spicepod.yaml', allow)).toMatchObject({ ref: 'main' })
    expect(parseSpiceFrom('github:o/r/v1.2.3/spicepod.yaml', allow)).toMatchObject({
      ref: 'v1.2.3',
    })
    expect(parseSpiceFrom(`github:o/r/${SHA}/spicepod.yaml`, allow)).toMatchObject({ ref: SHA })
  })

  it.each([
    ['a leading hyphen', 'github:o/r/-main/p.yaml', /starts with `-`/, 'ref-invalid'],
    ['`..` inside the ref', 'github:o/r/a..b/p.yaml', /contains `\.\.`/, 'ref-invalid'],
    ['a control character', 'github:o/r/ma\u0001in/p.yaml', /U\+0001/, 'control-character'],
    ['a `~`', 'github:o/r/main~1/p.yaml', /git does not allow/, 'ref-invalid'],
    ['a `.lock` suffix', 'github:o/r/main.lock/p.yaml', /\.lock/, 'ref-invalid'],
  ])('rejects refs with %s even when refs are allowed', (_name, from, message, reason) => {
    const error = failure(() => parseSpiceFrom(from, { allowRefs: true }))
    expect(error.code).toBe('SOURCE_SPEC_INVALID')
    expect(error.message).toMatch(message)
    expect(error.details.reason).toBe(reason)
  })

  it('cuts long echoed input to about 200 characters', () => {
    const error = failure(() => parseSpiceFrom(`github:o/r/${SHA}/${'x/'.repeat(500)}..`))
    expect(error.message.length).toBeLessThan(600)
  })
})

describe('parseSourceSpec', () => {
  it('applies the Spice rules to github: specs, but in its own words, without a `from` field', () => {
    expect(parseSourceSpec(`github:o/r/${SHA}/spicepod.yaml`)).toMatchObject({ kind: 'github' })
    const error = failure(() => parseSourceSpec('github:o/r'))
    expect(error.code).toBe('SOURCE_SPEC_INVALID')
    expect(error.message).toBe(
      'Invalid github source "github:o/r": it has fewer than four parts; expected github:{org}/{repo}/{sha}/{path}, such as github:octo-org/hello-pod/3f2c1ab/spicepod.yaml.',
    )
    expect(error.message).not.toContain('`from`')
    expect(error.details.reason).toBe('too-few-parts')
  })

  it.each([
    [`git:/repos/app#${SHA}`, { kind: 'git', repoDir: '/repos/app', rev: SHA, path: '' }],
    [
      `git:.#${SHA}:pods/spicepod.yaml`,
      { kind: 'git', repoDir: '.', rev: SHA, path: 'pods/spicepod.yaml' },
    ],
    [
      `git:../with#hash#abc1234`,
      { kind: 'git', repoDir: '../with#hash', rev: 'abc1234', path: '' },
    ],
    ['file:./app', { kind: 'local', path: './app' }],
    ['file:/abs/app', { kind: 'local', path: '/abs/app' }],
    ['file:///abs/app', { kind: 'local', path: '/abs/app' }],
    ['./app', { kind: 'local', path: './app' }],
    ['app', { kind: 'local', path: 'app' }],
    ['/abs/app', { kind: 'local', path: '/abs/app' }],
    ['.', { kind: 'local', path: '.' }],
    ['C:\\work\\app', { kind: 'local', path: 'C:\\work\\app' }],
    ['docker://nginx', { kind: 'docker', image: 'nginx' }],
    ['docker://nginx:1.27-alpine', { kind: 'docker', image: 'nginx:1.27-alpine' }],
    [
      'docker://registry.example.com:5000/team/app:v1',
      { kind: 'docker', image: 'registry.example.com:5000/team/app:v1' },
    ],
    [
      `docker://ghcr.io/o/app@sha256:${'ab'.repeat(32)}`,
      { kind: 'docker', image: `ghcr.io/o/app@sha256:${'ab'.repeat(32)}` },
    ],
  ])('parses %s', (text, expected) => {
    expect(parseSourceSpec(text)).toEqual(expected)
  })

  it('accepts git refs only when refs are allowed', () => {
    expect(parseSourceSpec('git:.#main', { allowRefs: true })).toMatchObject({ rev: 'main' })
    expect(parseSourceSpec('git:.#origin/main:app', { allowRefs: true })).toMatchObject({
      rev: 'origin/main',
      path: 'app',
    })
    expect(failure(() => parseSourceSpec('git:.#main')).details.reason).toBe('sha-invalid')
  })

  it.each([
    ['an unknown scheme', 'foo:bar', 'unknown-scheme'],
    ['an http URL', 'http://example.com/app.zip', 'unknown-scheme'],
    ['an https URL', 'https://github.com/o/r', 'unknown-scheme'],
    ['docker without //', 'docker:nginx', 'unknown-scheme'],
    ['a capitalised scheme', 'GitHub:o/r/abc1234/p', 'unknown-scheme'],
    ['an empty spec', '', 'empty-path'],
    ['an empty file: path', 'file:', 'empty-path'],
    ['a file: URL with a host', 'file://host/app', 'file-url-host'],
    ['a local path with a control character', './a\u0000b', 'control-character'],
    ['git without a revision', 'git:/repos/app', 'git-missing-rev'],
    ['git with an empty revision', 'git:/repos/app#', 'git-missing-rev'],
    ['git with an empty repository', `git:#${SHA}`, 'git-missing-repo'],
    ['git with a control character in the folder', `git:/re\npo#${SHA}`, 'control-character'],
    ['git with a branch name', 'git:.#main', 'sha-invalid'],
    ['git with an empty path', `git:.#${SHA}:`, 'empty-segment'],
    ['git with a `..` path', `git:.#${SHA}:../x`, 'dot-segment'],
    ['git with a double slash path', `git:.#${SHA}:a//b`, 'empty-segment'],
    ['git with an absolute path', `git:.#${SHA}:/a`, 'empty-segment'],
    ['docker with nothing', 'docker://', 'docker-image-invalid'],
    ['docker with upper case', 'docker://Nginx', 'docker-image-invalid'],
    ['docker with a bad tag', 'docker://nginx:-x', 'docker-image-invalid'],
    ['docker with spaces', 'docker://my image', 'docker-image-invalid'],
    ['docker with a trailing slash', 'docker://nginx/', 'docker-image-invalid'],
  ])('rejects %s', (_name, text, reason) => {
    const error = failure(() => parseSourceSpec(text))
    expect(error.code).toBe('SOURCE_SPEC_INVALID')
    expect(error.details.reason).toBe(reason)
  })

  it('names the accepted forms for an unknown scheme', () => {
    const error = failure(() => parseSourceSpec('s3://bucket/app'))
    expect(error.message).toContain('"s3:"')
    for (const form of ['github:', 'git:', 'file:', 'docker://'])
      expect(error.message).toContain(form)
  })
})

describe('parseSourceSpec properties', () => {
  const hex = fc.stringMatching(/^[0-9a-f]{7,40}$/)
  const owner = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/)
  const repo = fc.stringMatching(/^[A-Za-z0-9._-]{1,100}$/).filter((r) => r !== '.' && r !== '..')
  const segment = fc
    .string({ unit: 'grapheme', minLength: 1, maxLength: 12 })
    // eslint-disable-next-line no-control-regex
    .filter((s) => !/[/:\u0000-\u001f\u007f]/.test(s) && s !== '.' && s !== '..')
  const path = fc.array(segment, { minLength: 0, maxLength: 5 }).map((parts) => parts.join('/'))

  it('never throws anything but PackwrightError', () => {
    const alphabet = fc.constantFrom(
      ...'github:git:file:docker://#/.-_ab01\u0000\n\\@~^'.split(''),
      'github:',
      'git:',
      '..',
      SHA,
    )
    const text = fc.oneof(
      fc.string(),
      fc.array(alphabet, { maxLength: 20 }).map((parts) => parts.join('')),
    )
    fc.assert(
      fc.property(text, fc.boolean(), (input, allowRefs) => {
        for (const parse of [parseSourceSpec, parseSpiceFrom]) {
          try {
            parse(input, { allowRefs })
          } catch (error) {
            if (!(error instanceof PackwrightError)) return false
            if (error.code !== 'SOURCE_SPEC_INVALID') return false
          }
        }
        return true
      }),
      { numRuns: 2000 },
    )
  })

  it('round-trips valid github specs', () => {
    fc.assert(
      fc.property(owner, repo, hex, path, (o, r, sha, p) => {
        const text = `github:${o}/${r}/${sha}/${p}`
        const spec = parseSpiceFrom(text)
        expect(spec).toEqual({ kind: 'github', owner: o, repo: r, ref: sha, path: p })
        expect(formatSourceSpec(spec)).toBe(text)
        expect(parseSourceSpec(formatSourceSpec(spec))).toEqual(spec)
      }),
      { numRuns: 500 },
    )
  })
})

describe('parseSourceSpec messages', () => {
  const REFS_HINT =
    'Name the commit by its SHA (`git rev-parse <ref>`), or allow branch and tag names (CLI: --allow-refs), knowing the package then follows the ref.'
  const SHA_ONLY = 'a commit SHA (7–40 hexadecimal characters)'
  const SHA_OR_REF = 'a commit SHA (7–40 hexadecimal characters) or a branch or tag name'
  const IN_REPO = 'a relative path inside the repository'

  it.each([
    [
      `github:o/r/${SHA}/a.yaml:x`,
      {},
      `Invalid github source "github:o/r/${SHA}/a.yaml:x": it contains a second \`:\`, which Spice would silently cut off; expected github:{org}/{repo}/{sha}/{path} without \`:\`.`,
      undefined,
      { reason: 'second-colon' },
    ],
    [
      `github:o//${SHA}/p`,
      {},
      `Invalid github source "github:o//${SHA}/p": the repo segment is empty; expected a repository name (letters, digits, \`.\`, \`_\` and \`-\`, at most 100).`,
      undefined,
      {
        reason: 'empty-segment',
        segment: 'repo',
        expected: 'a repository name (letters, digits, `.`, `_` and `-`, at most 100)',
      },
    ],
    [
      `github:o\u0001/r/${SHA}/p`,
      {},
      `Invalid github source "github:o\\u0001/r/${SHA}/p": the org segment contains a control character (U+0001); expected a GitHub user or organisation name (letters, digits and \`-\`, at most 39).`,
      undefined,
      {
        reason: 'control-character',
        segment: 'org',
        expected: 'a GitHub user or organisation name (letters, digits and `-`, at most 39)',
      },
    ],
    [
      `github:o_o/r/${SHA}/p`,
      {},
      `Invalid github source "github:o_o/r/${SHA}/p": the org segment "o_o" is not a GitHub name; expected a GitHub user or organisation name (letters, digits and \`-\`, at most 39).`,
      undefined,
      { reason: 'owner-charset', segment: 'org' },
    ],
    [
      `github:o/r r/${SHA}/p`,
      {},
      `Invalid github source "github:o/r r/${SHA}/p": the repo segment "r r" is not a GitHub repository name; expected a repository name (letters, digits, \`.\`, \`_\` and \`-\`, at most 100).`,
      undefined,
      { reason: 'repo-charset', segment: 'repo' },
    ],
    [
      'github:o/r/main/p',
      {},
      `Invalid github source "github:o/r/main/p": the sha segment "main" is not a commit SHA; expected ${SHA_ONLY}.`,
      REFS_HINT,
      { reason: 'sha-invalid', segment: 'sha', expected: SHA_ONLY },
    ],
    [
      'github:o/r/-x/p',
      { allowRefs: true },
      `Invalid github source "github:o/r/-x/p": the sha segment "-x" starts with \`-\`; expected ${SHA_OR_REF}.`,
      undefined,
      { reason: 'ref-invalid', segment: 'sha', expected: SHA_OR_REF },
    ],
    [
      `github:o/r/${SHA}/a/../b`,
      {},
      `Invalid github source "github:o/r/${SHA}/a/../b": the path "a/../b" has a \`..\` segment; expected ${IN_REPO}.`,
      undefined,
      { reason: 'dot-segment', segment: 'path', expected: IN_REPO },
    ],
    [
      `github:o/r/${SHA}/a/b\tc`,
      {},
      `Invalid github source "github:o/r/${SHA}/a/b\\tc": the path "a/b\\tc" has a segment "b\\tc" containing a control character (U+0009); expected ${IN_REPO}.`,
      undefined,
      { reason: 'control-character', segment: 'path' },
    ],
    [
      'git:/repo',
      {},
      'Invalid git source "git:/repo": there is no `#` before the revision; expected git:{repoDir}#{rev} or git:{repoDir}#{rev}:{path}.',
      undefined,
      { reason: 'git-missing-rev', expected: 'git:{repoDir}#{rev} or git:{repoDir}#{rev}:{path}' },
    ],
    [
      `git:#${SHA}`,
      {},
      `Invalid git source "git:#${SHA}": the repository folder is empty; expected git:{repoDir}#{rev} or git:{repoDir}#{rev}:{path}.`,
      undefined,
      { reason: 'git-missing-repo', segment: 'repoDir' },
    ],
    [
      `git:a\u007fb#${SHA}`,
      {},
      `Invalid git source "git:a\\u007fb#${SHA}": the repository folder contains a control character (U+007F); expected a folder path.`,
      undefined,
      { reason: 'control-character', segment: 'repoDir', expected: 'a folder path' },
    ],
    [
      'git:/repo#',
      {},
      `Invalid git source "git:/repo#": the revision "" is empty; expected ${SHA_ONLY}.`,
      undefined,
      { reason: 'git-missing-rev', segment: 'rev', expected: SHA_ONLY },
    ],
    [
      'git:/repo#:app',
      { allowRefs: true },
      `Invalid git source "git:/repo#:app": the revision "" is empty; expected ${SHA_OR_REF}.`,
      undefined,
      { reason: 'git-missing-rev', segment: 'rev', expected: SHA_OR_REF },
    ],
    [
      'git:/repo#main',
      {},
      `Invalid git source "git:/repo#main": the revision "main" is not a commit SHA; expected ${SHA_ONLY}.`,
      REFS_HINT,
      { reason: 'sha-invalid', segment: 'rev' },
    ],
    [
      'git:/repo#a..b',
      { allowRefs: true },
      `Invalid git source "git:/repo#a..b": the revision "a..b" contains \`..\`; expected ${SHA_OR_REF}.`,
      undefined,
      { reason: 'ref-invalid', segment: 'rev' },
    ],
    [
      `git:/repo#${SHA}:`,
      {},
      `Invalid git source "git:/repo#${SHA}:": the path "" is empty (leave out the \`:\` for the whole tree); expected ${IN_REPO}.`,
      undefined,
      { reason: 'empty-segment', segment: 'path', expected: IN_REPO },
    ],
    [
      `git:/repo#${SHA}:a/./b`,
      {},
      `Invalid git source "git:/repo#${SHA}:a/./b": the path "a/./b" has a \`.\` segment; expected ${IN_REPO}.`,
      undefined,
      { reason: 'dot-segment', segment: 'path' },
    ],
    [
      '',
      {},
      'Invalid local source "": the path is empty; expected a folder or file path such as ./app.',
      undefined,
      { reason: 'empty-path', expected: 'a folder or file path' },
    ],
    [
      'a\u001fb',
      {},
      'Invalid local source "a\\u001fb": the path contains a control character (U+001F); expected a folder or file path.',
      undefined,
      { reason: 'control-character', expected: 'a folder or file path' },
    ],
    [
      'file://host/x',
      {},
      'Invalid local source "file://host/x": `file://` URLs must have an empty host (file:///abs/path); expected file:./app, file:/abs/app or file:///abs/app.',
      undefined,
      { reason: 'file-url-host', expected: 'file:{path}' },
    ],
    [
      'docker://',
      {},
      'Invalid docker source "docker://": the image is empty; expected an image reference such as nginx, nginx:1.27 or registry.example.com:5000/team/app:v1.',
      undefined,
      {
        reason: 'docker-image-invalid',
        expected:
          'an image reference such as nginx, nginx:1.27 or registry.example.com:5000/team/app:v1',
      },
    ],
    [
      'docker://Nginx',
      {},
      'Invalid docker source "docker://Nginx": "Nginx" is not an image reference; expected an image reference such as nginx, nginx:1.27 or registry.example.com:5000/team/app:v1.',
      undefined,
      { reason: 'docker-image-invalid' },
    ],
    [
      'S3:bucket',
      {},
      `Invalid source "S3:bucket": unknown scheme "S3:"; expected ${ACCEPTED_SOURCE_FORMS}.`,
      'Scheme names are case-sensitive; a local path containing `:` can be written as ./name.',
      { reason: 'unknown-scheme', expected: ACCEPTED_SOURCE_FORMS },
    ],
  ])('%j: the message, hint and details', (text, options, message, hint, details) => {
    const error = failure(() => parseSourceSpec(text, options))
    expect(error.code).toBe('SOURCE_SPEC_INVALID')
    expect(error.message).toBe(message)
    expect(error.hint).toBe(hint)
    expect(error.details).toMatchObject(details)
    expect(error.details.spec).toMatch(/^".*"$/)
  })

  it('gives Spice’s hint about the four parts with its message', () => {
    const error = failure(() => parseSpiceFrom('github:o/r'))
    expect(error.hint).toBe('A github source has four parts: github:{org}/{repo}/{sha}/{path}.')
    expect(error.details).toEqual({ spec: '"github:o/r"', reason: 'too-few-parts' })
  })

  it('lets through errors other than Spice’s four-part message unchanged', () => {
    const error = failure(() => parseSourceSpec('github:o/r/main/p'))
    expect(error.message).toBe(
      `Invalid github source "github:o/r/main/p": the sha segment "main" is not a commit SHA; expected ${SHA_ONLY}.`,
    )
    expect(failure(() => parseSourceSpec('github:')).details.reason).toBe('too-few-parts')
  })

  it('lists the accepted forms', () => {
    expect(ACCEPTED_SOURCE_FORMS).toBe(
      '`github:{org}/{repo}/{sha}/{path}`, `git:{repoDir}#{rev}[:{path}]`, `file:{path}`, a plain local path (`./app`, `app`, `/abs/app`), or `docker://image[:tag]`',
    )
  })
})

describe('parseSourceSpec ref rules (refs allowed)', () => {
  it.each([['main'], ['feature/x-1'], ['v1.2.3'], ['a.b/c'], ['release@1']])(
    'accepts %j',
    (ref) => {
      expect(parseSourceSpec(`git:.#${ref}`, { allowRefs: true })).toMatchObject({ rev: ref })
    },
  )

  it.each([
    ['a\u0000b', 'contains a control character (U+0000)'],
    ['a\u007f', 'contains a control character (U+007F)'],
    ['a b', 'contains a character git does not allow in ref names'],
    ['a\tb', 'contains a control character (U+0009)'],
    ['a^', 'contains a character git does not allow in ref names'],
    ['a?', 'contains a character git does not allow in ref names'],
    ['a*', 'contains a character git does not allow in ref names'],
    ['a[', 'contains a character git does not allow in ref names'],
    ['a\\b', 'contains a character git does not allow in ref names'],
    ['a@{1}', 'contains a character git does not allow in ref names'],
    ['main.', 'is not a valid ref name (it starts or ends with `/`'],
    ['main/', 'is not a valid ref name (it starts or ends with `/`'],
    ['/main', 'is not a valid ref name (it starts or ends with `/`'],
    ['a//b', 'is not a valid ref name (empty component, or a component starting with `.`)'],
    ['a/.b', 'is not a valid ref name (empty component, or a component starting with `.`)'],
    ['.a', 'is not a valid ref name (empty component, or a component starting with `.`)'],
  ])('refuses %j: it %s', (ref, problem) => {
    const error = failure(() => parseSourceSpec(`git:.#${ref}`, { allowRefs: true }))
    expect(error.message).toContain(`${problem}`)
  })

  it('refuses a docker image reference longer than 512 characters', () => {
    const image512 = `a${'/b'.repeat(255)}a`
    expect(image512).toHaveLength(512)
    expect(parseSourceSpec(`docker://${image512}`)).toEqual({ kind: 'docker', image: image512 })
    expect(failure(() => parseSourceSpec(`docker://${image512}b`)).details.reason).toBe(
      'docker-image-invalid',
    )
  })
})

describe('formatSourceSpec', () => {
  it.each([
    [{ kind: 'git', repoDir: '/repos/app', rev: SHA, path: '' }, `git:/repos/app#${SHA}`],
    [{ kind: 'git', repoDir: '.', rev: 'main', path: 'a/b' }, 'git:.#main:a/b'],
    [{ kind: 'local', path: './app' }, './app'],
    [{ kind: 'local', path: 'C:\\app' }, 'file:C:\\app'],
    [{ kind: 'local', path: 'odd:name' }, 'file:odd:name'],
    [{ kind: 'docker', image: 'nginx:1.27' }, 'docker://nginx:1.27'],
  ] as const)('writes %j as %s, which parses back to it', (spec, text) => {
    expect(formatSourceSpec(spec)).toBe(text)
    expect(parseSourceSpec(text, { allowRefs: true })).toEqual(spec)
  })
})
