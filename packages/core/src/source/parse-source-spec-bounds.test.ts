import { describe, expect, it } from 'vitest'
import { PackwrightError } from '../errors.js'
import { parseSourceSpec, parseSpiceFrom } from './parse-source-spec.js'

const SHA = '0123456789abcdef0123456789abcdef01234567'

function reasonOf(run: () => unknown): unknown {
  try {
    run()
  } catch (error) {
    if (error instanceof PackwrightError) return error.details.reason
    throw error
  }
  return 'accepted'
}

describe('parseSpiceFrom name bounds', () => {
  it.each([
    ['an org of 39 characters', `${'a'.repeat(39)}`, 'r', 'accepted'],
    ['an org with a hyphen inside', 'octo-org', 'r', 'accepted'],
    ['an org of one digit', '7', 'r', 'accepted'],
    ['an org ending with a hyphen', 'org-', 'r', 'accepted'],
    ['a repo of 100 characters', 'o', 'r'.repeat(100), 'accepted'],
    ['a repo of 101 characters', 'o', 'r'.repeat(101), 'repo-charset'],
    ['a repo with `.`, `_` and `-`', 'o', '.a_b-c', 'accepted'],
    ['a repo starting with a hyphen', 'o', '-r', 'accepted'],
    ['an org with a dot', 'o.o', 'r', 'owner-charset'],
    ['a `.` org', '.', 'r', 'dot-segment'],
  ])('%s', (_name, owner, repo, reason) => {
    expect(reasonOf(() => parseSpiceFrom(`github:${owner}/${repo}/${SHA}/p.yaml`))).toBe(reason)
  })

  it.each([
    ['abc1234', 'accepted'],
    ['ABCDEF0', 'accepted'],
    [SHA, 'accepted'],
    [`${SHA.slice(0, 39)}g`, 'sha-invalid'],
    [`g${SHA.slice(1)}`, 'sha-invalid'],
  ])('checks the sha %s', (sha, reason) => {
    expect(reasonOf(() => parseSpiceFrom(`github:o/r/${sha}/p.yaml`))).toBe(reason)
  })

  it('keeps a path with a `.` inside a segment', () => {
    expect(parseSpiceFrom(`github:o/r/${SHA}/.hidden/a..b/c.`)).toMatchObject({
      path: '.hidden/a..b/c.',
    })
  })
})

describe('parseSourceSpec schemes and local paths', () => {
  it.each([
    ['./odd:name', { kind: 'local', path: './odd:name' }],
    ['dir/a:b', { kind: 'local', path: 'dir/a:b' }],
    ['1x:y', { kind: 'local', path: '1x:y' }],
    ['C:/work/app', { kind: 'local', path: 'C:/work/app' }],
    ['file:////abs', { kind: 'local', path: '//abs' }],
  ])('reads %j as a local path', (text, expected) => {
    expect(parseSourceSpec(text)).toEqual(expected)
  })

  it.each([
    ['C:app', 'unknown-scheme'],
    ['a+b.c-d:x', 'unknown-scheme'],
    ['git+ssh://host/r', 'unknown-scheme'],
    ['Docker://nginx', 'unknown-scheme'],
  ])('refuses %j as a scheme', (text, reason) => {
    expect(reasonOf(() => parseSourceSpec(text))).toBe(reason)
  })
})

describe('parseSourceSpec git paths', () => {
  it('keeps a `:` in the path after the first one', () => {
    expect(parseSourceSpec(`git:/r#${SHA}:a:b`)).toEqual({
      kind: 'git',
      repoDir: '/r',
      rev: SHA,
      path: 'a:b',
    })
  })

  it('refuses a control character in a git path', () => {
    expect(reasonOf(() => parseSourceSpec(`git:/r#${SHA}:a\u0001`))).toBe('control-character')
  })
})

describe('parseSourceSpec docker references', () => {
  it.each([
    ['localhost:5000/app'],
    ['my-registry.example.com/team/app'],
    ['a/b__c/d.e'],
    ['app---x'],
    ['app_x'],
    [`app:${'t'.repeat(128)}`],
    ['app:_tag'],
    [`app@sha256:${'0'.repeat(32)}`],
    [`app@sha256+b.x_y:${'A'.repeat(64)}`],
    [`r.io:1/app:v1@sha256:${'f'.repeat(64)}`],
  ])('accepts %s', (image) => {
    expect(parseSourceSpec(`docker://${image}`)).toEqual({ kind: 'docker', image })
  })

  it.each([
    ['-registry.example.com/app'],
    ['registry-.example.com/app'],
    ['a/b___c'],
    ['app_'],
    ['app.'],
    [`app:${'t'.repeat(129)}`],
    ['app:.tag'],
    [`app@sha256:${'0'.repeat(31)}`],
    [`app@256:${'0'.repeat(32)}`],
    [`app@sha256:${'g'.repeat(32)}`],
    ['host:port/app'],
    ['/app'],
  ])('refuses %s', (image) => {
    expect(reasonOf(() => parseSourceSpec(`docker://${image}`))).toBe('docker-image-invalid')
  })
})
