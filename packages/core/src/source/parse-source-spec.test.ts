import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { formatSourceSpec } from './format-source-spec.js'
import {
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
