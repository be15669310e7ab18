import { describe, expect, it } from 'vitest'

import { isPackwrightError } from '../errors.js'
import {
  CONTENT_MANIFEST_HEADER,
  type ContentEntry,
  ContentManifest,
  computeContentDigest,
} from './content-manifest.js'
import { ResourceList } from './resource-list.js'
import {
  contentFile as file,
  contentLink as link,
  sha256Of as sha256,
} from '../../test/helpers/content-entries.js'

const ENTRIES: readonly ContentEntry[] = [
  file('b/run.sh', '#!/bin/sh\n', '755'),
  file('a.txt', 'alpha\n'),
  link('b/latest', 'run.sh'),
  file('b/c/d.txt', 'delta\n'),
]

function invalidArgument(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (isPackwrightError(error, 'INVALID_ARGUMENT')) return error.message
    throw error
  }
  throw new Error('expected INVALID_ARGUMENT')
}

describe('ContentManifest', () => {
  it('writes the documented canonical text and hashes exactly it', () => {
    const manifest = ContentManifest.from(ENTRIES)
    const text = [
      CONTENT_MANIFEST_HEADER,
      `file 644 6 ${sha256('alpha\n')} a.txt`,
      `file 644 6 ${sha256('delta\n')} b/c/d.txt`,
      `symlink 777 6 ${sha256('run.sh')} b/latest run.sh`,
      `file 755 10 ${sha256('#!/bin/sh\n')} b/run.sh`,
    ]
    expect([...manifest.lines()]).toEqual(text)
    expect(manifest.digest()).toBe(sha256(text.map((line) => `${line}\n`).join('')))
    expect(CONTENT_MANIFEST_HEADER).toBe('packwright-content-manifest v1')
  })

  it('gives the same digest whatever order the entries come in', () => {
    const digest = computeContentDigest(ENTRIES)
    const orders = [
      [...ENTRIES].reverse(),
      [ENTRIES[2], ENTRIES[0], ENTRIES[3], ENTRIES[1]],
      [ENTRIES[3], ENTRIES[1], ENTRIES[0], ENTRIES[2]],
    ] as ContentEntry[][]
    for (const order of orders) expect(computeContentDigest(order)).toBe(digest)
  })

  it('leaves folders out: a zip with ancestor folder entries and one without agree', () => {
    const withFolders: ContentEntry[] = [
      { path: 'b/', kind: 'directory', mode: '755', size: 0 },
      { path: 'b/c/', kind: 'directory', mode: '700', size: 0 },
      ...ENTRIES,
    ]
    expect(computeContentDigest(withFolders)).toBe(computeContentDigest(ENTRIES))
    expect(ContentManifest.from(withFolders).length).toBe(4)
  })

  it.each<[string, (entry: ContentEntry) => ContentEntry]>([
    ['the path', (entry) => ({ ...entry, path: 'a2.txt' })],
    ['the type', (entry) => ({ ...entry, kind: 'symlink', linkTarget: 'alpha\n' })],
    ['the mode', (entry) => ({ ...entry, mode: '755' })],
    ['the size', (entry) => ({ ...entry, size: entry.size + 1 })],
    ['the content sha256', (entry) => ({ ...entry, sha256: sha256('other\n') })],
  ])('changes the digest when %s of one file changes', (_, change) => {
    const [first, ...rest] = ENTRIES.filter((entry) => entry.path === 'a.txt').concat(
      ENTRIES.filter((entry) => entry.path !== 'a.txt'),
    ) as [ContentEntry, ...ContentEntry[]]
    expect(computeContentDigest([change(first), ...rest])).not.toBe(computeContentDigest(ENTRIES))
  })

  it('changes the digest when a link target changes, the rest being equal', () => {
    const other = ENTRIES.map((entry) =>
      entry.kind === 'symlink' ? { ...entry, linkTarget: 'run.sx' } : entry,
    )
    expect(computeContentDigest(other)).not.toBe(computeContentDigest(ENTRIES))
  })

  it('changes the digest when a file is added or removed', () => {
    const digest = computeContentDigest(ENTRIES)
    expect(computeContentDigest(ENTRIES.slice(1))).not.toBe(digest)
    expect(computeContentDigest([...ENTRIES, file('z', '')])).not.toBe(digest)
  })

  it('escapes spaces, line breaks, percent signs and non-ASCII bytes, so no two texts read alike', () => {
    const escaped = [
      ...ContentManifest.from([
        file('a b', ''),
        file('100%', ''),
        file('é', ''),
        file('x\ny', ''),
        link('l', 'a b/%20'),
      ]).lines(),
    ]
    const hash = sha256('')
    expect(escaped.slice(1)).toEqual([
      `file 644 0 ${hash} 100%25`,
      `file 644 0 ${hash} a%20b`,
      `symlink 777 7 ${sha256('a b/%20')} l a%20b/%2520`,
      `file 644 0 ${hash} x%0Ay`,
      `file 644 0 ${hash} %C3%A9`,
    ])
  })

  it.each<[string, ContentEntry[], ContentEntry[]]>([
    [
      'a name holding a line feed and the next line',
      [file(`a\nfile 644 0 ${sha256('')} b`, '')],
      [file('a', ''), file('b', '')],
    ],
    ['a space in a name, or two fields', [link('a b', 'c')], [link('a', 'b c')]],
    ['an escape sequence written literally', [file('%20', '')], [file(' ', '')]],
    ['a name and a link target split elsewhere', [link('a', 'b c')], [link('a b', 'c')]],
  ])('cannot collide: %s', (_, one, other) => {
    expect(computeContentDigest(one)).not.toBe(computeContentDigest(other))
    expect([...ContentManifest.from(one).lines()]).not.toEqual([
      ...ContentManifest.from(other).lines(),
    ])
  })

  it('sorts by code point (UTF-8 byte order), not UTF-16 code units', () => {
    const astral = '\u{1F600}' // a surrogate pair in UTF-16, F0 9F 98 80 in UTF-8
    const privateUse = '\uE000' // above surrogates in UTF-16, EE 80 80 in UTF-8
    const paths = [...ContentManifest.from([file(astral, ''), file(privateUse, '')]).entries()].map(
      (entry) => entry.path,
    )
    expect(paths).toEqual([privateUse, astral])
    const utf8Order = [astral, privateUse].sort((a, b) =>
      Buffer.compare(Buffer.from(a), Buffer.from(b)),
    )
    expect(paths).toEqual(utf8Order)
  })

  it('normalises the mode as octal permission bits', () => {
    const manifest = ContentManifest.from([file('a', '', '0644'), file('b', '', '4755')])
    expect([...manifest.entries()].map((entry) => entry.mode)).toEqual(['644', '4755'])
    expect(computeContentDigest([file('a', '', '0644')])).toBe(
      computeContentDigest([file('a', '')]),
    )
  })

  it.each<[string, ContentEntry, string]>([
    ['an empty path', file('', ''), 'invalid path'],
    ['a lone surrogate', file('a\ud800', ''), 'invalid path'],
    ['a mode that is not octal', file('a', '', '8'), 'invalid mode'],
    ['a mode past the permission bits', file('a', '', '10644'), 'invalid mode'],
    ['a negative size', { ...file('a', ''), size: -1 }, 'invalid size'],
    ['an upper-case sha256', { ...file('a', ''), sha256: 'A'.repeat(64) }, 'invalid sha256'],
    ['a file without sha256', { path: 'a', kind: 'file', mode: '644', size: 0 }, 'invalid sha256'],
    [
      'a symlink without target',
      { ...link('a', 'b'), linkTarget: undefined },
      'invalid linkTarget',
    ],
  ])('refuses %s with INVALID_ARGUMENT', (_, entry, wording) => {
    expect(invalidArgument(() => ContentManifest.from([entry]))).toContain(wording)
  })

  it('refuses a path given twice, whatever the order', () => {
    const twice = [file('a', 'one'), file('b', ''), file('a', 'two')]
    expect(invalidArgument(() => computeContentDigest(twice))).toBe(
      'Content entry "a" is listed twice; expected each path once.',
    )
  })

  it('reads a resource list with its link targets', () => {
    const list = ResourceList.from(
      ENTRIES.map((entry) => ({
        path: entry.path,
        kind: entry.kind === 'symlink' ? ('symlink' as const) : ('file' as const),
        size: entry.size,
        mode: entry.mode as '644' | '755' | '777',
        sha1: '0'.repeat(40),
        sha256: entry.sha256 as string,
        ...(entry.linkTarget === undefined ? {} : { linkTarget: entry.linkTarget }),
      })),
    )
    expect(list.linkTargetAt(2)).toBe('run.sh')
    expect(list.linkTargetAt(0)).toBeUndefined()
    expect(computeContentDigest(list)).toBe(computeContentDigest(ENTRIES))
  })

  it('digests 200,000 entries line by line and agrees with the whole text hashed at once', () => {
    const count = 200_000
    const manifest = new ContentManifest()
    const hash = sha256('x')
    const lines: string[] = [CONTENT_MANIFEST_HEADER]
    for (let index = 0; index < count; index++) {
      // Added in reverse, so that sorting is needed.
      const path = `d${(count - 1 - index).toString().padStart(6, '0')}/f.txt`
      manifest.add({ path, kind: 'file', mode: '644', size: 1, sha256: hash })
    }
    for (let index = 0; index < count; index++) {
      lines.push(`file 644 1 ${hash} d${index.toString().padStart(6, '0')}/f.txt`)
    }
    expect(manifest.length).toBe(count)
    expect(manifest.digest()).toBe(sha256(`${lines.join('\n')}\n`))
  })
})
