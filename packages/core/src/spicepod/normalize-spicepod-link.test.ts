import { describe, expect, it } from 'vitest'
import { hasExtension, normalizeSpicepodLink } from './normalize-spicepod-link.js'

describe('normalizeSpicepodLink', () => {
  it.each([
    ['../secret.csv', 'ref'],
    ['data/../../secret.csv', 'ref'],
    ['file:data/..', 'file'],
    ['/..', 'dependency'],
  ] as const)('refuses %s for its own `..` reason', (raw, style) => {
    expect(normalizeSpicepodLink(raw, style)).toEqual({
      ok: false,
      reason: 'contains a `..` segment, which would leave the package root',
    })
  })

  it.each([
    ['file:data/x.csv', 'data/x.csv', false],
    ['file://data/x.csv', 'data/x.csv', false],
    ['file:./data/x.csv', 'data/x.csv', false],
    ['file:/data/x.csv', 'data/x.csv', true],
    ['file:///data/x.csv', 'data/x.csv', true],
    ['file:data/', 'data', false],
  ] as const)('turns the file link %s into %s', (raw, path, fromRoot) => {
    expect(normalizeSpicepodLink(raw, 'file')).toEqual({ ok: true, path, fromRoot })
  })

  it.each([
    ['./models/m', 'models/m', false],
    ['/models/m', 'models/m', true],
    ['models/m/', 'models/m', false],
  ] as const)('turns the ref %s into %s', (raw, path, fromRoot) => {
    expect(normalizeSpicepodLink(raw, 'ref')).toEqual({ ok: true, path, fromRoot })
    expect(normalizeSpicepodLink(raw, 'sql_ref')).toEqual({ ok: true, path, fromRoot })
  })

  it('strips `file:` only from file links', () => {
    expect(normalizeSpicepodLink('file:x', 'ref')).toEqual({
      ok: true,
      path: 'file:x',
      fromRoot: false,
    })
    expect(normalizeSpicepodLink('//x', 'ref')).toEqual({
      ok: false,
      reason: 'contains an empty path segment',
    })
  })

  it.each([
    ['', 'names no path (it is empty or the package root itself)'],
    ['./', 'names no path (it is empty or the package root itself)'],
    ['/', 'names no path (it is empty or the package root itself)'],
    ['a\u0001b', 'contains a control character'],
    ['a\u007fb', 'contains a control character'],
    ['a//b', 'contains an empty path segment'],
    ['a/./b', 'contains a `.` segment'],
    ['.', 'contains a `.` segment'],
    ['a\\b', 'contains a backslash (use `/`)'],
  ])('refuses %j: it %s', (raw, reason) => {
    expect(normalizeSpicepodLink(raw, 'dependency')).toEqual({ ok: false, reason })
  })
})

describe('hasExtension', () => {
  it.each([
    ['data/x.csv', true],
    ['x.c', true],
    ['data.d/x', false],
    ['data/x.', false],
    ['data/x', false],
    ['.hidden', true],
  ])('%s: %s', (path, expected) => {
    expect(hasExtension(path)).toBe(expected)
  })
})
