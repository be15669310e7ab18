import fc from 'fast-check'
import { describe, expect, it } from 'vitest'

import { symlinkFailsInline } from '../../../test/helpers/resolve-symlinks-inline.js'
import {
  MAX_SYMLINK_HOPS,
  MAX_SYMLINK_RESOLUTION_STEPS,
  resolveZipSymlinks,
} from './resolve-zip-symlinks.js'

const failureKinds = (links: Map<string, string>) =>
  Object.fromEntries([...resolveZipSymlinks(links)].map(([name, failure]) => [name, failure.kind]))

describe('resolveZipSymlinks', () => {
  it('judges every link as expanding each link met inline would', () => {
    const segment = fc.constantFrom('a', 'b', 'c', 'ab')
    const name = fc.array(segment, { minLength: 1, maxLength: 2 }).map((parts) => parts.join('/'))
    const part = fc.constantFrom('a', 'b', 'c', 'ab', '..', '.', '', 'x')
    const target = fc
      .tuple(
        fc.array(part, { minLength: 1, maxLength: 7 }),
        fc.array(fc.constantFrom('/', '\\'), { minLength: 7, maxLength: 7 }),
        fc.constantFrom('', '', '', '/', 'C:'),
      )
      .map(
        ([parts, separators, lead]) =>
          `${lead}${parts.map((piece, i) => (i === 0 ? piece : `${separators[i] ?? '/'}${piece}`)).join('')}`,
      )
    fc.assert(
      fc.property(fc.array(fc.tuple(name, target), { minLength: 1, maxLength: 8 }), (pairs) => {
        const links = new Map(pairs)
        const failures = resolveZipSymlinks(links)
        for (const linkName of links.keys()) {
          expect(failures.has(linkName), linkName).toBe(symlinkFailsInline(linkName, links))
        }
      }),
      { numRuns: 1000 },
    )
  })

  it('counts hops across links as an inline walk does: 40 followed are fine, 41 are a loop', () => {
    const chain = (length: number) =>
      new Map(Array.from({ length }, (_, i) => [`l${i}`, i === length - 1 ? 'file' : `l${i + 1}`]))
    expect(failureKinds(chain(MAX_SYMLINK_HOPS + 1))).toEqual({})
    expect(failureKinds(chain(MAX_SYMLINK_HOPS + 2))).toEqual({ l0: 'loop' })
  })

  it('counts components across links: 4096 walked are fine, 4097 are too many', () => {
    // `first` walks `own` components of its own, then all of `second`'s.
    const own = 1000
    const links = (secondParts: number) =>
      new Map([
        ['first', `${'./'.repeat(own - 1)}second`],
        ['second', Array.from({ length: secondParts }, () => '.').join('/')],
      ])
    const fits = links(MAX_SYMLINK_RESOLUTION_STEPS - own)
    expect(failureKinds(fits)).toEqual({})
    expect(symlinkFailsInline('first', fits)).toBe(false)
    const over = links(MAX_SYMLINK_RESOLUTION_STEPS - own + 1)
    expect(failureKinds(over)).toEqual({ first: 'too-many-steps' })
    expect(symlinkFailsInline('first', over)).toBe(true)
  })

  it('reports loops and escapes through links, and names the link with a bad target', () => {
    const failures = resolveZipSymlinks(
      new Map([
        ['p', 'q/x'],
        ['q', 'p/y'],
        ['up', 'deep/../../..'],
        ['deep', 'a/b'],
        ['via', 'abs/z'],
        ['abs', '/etc'],
      ]),
    )
    expect(failures.get('p')).toEqual({ kind: 'loop' })
    expect(failures.get('q')).toEqual({ kind: 'loop' })
    expect(failures.get('up')).toEqual({ kind: 'above-root', throughLinks: true })
    expect(failures.get('via')).toEqual({
      kind: 'bad-target',
      problem: 'has an absolute target',
      through: 'abs',
    })
    expect(failures.has('deep')).toBe(false)
  })

  it('walks link names that branch deep inside shared folders', () => {
    const base = 'x/'.repeat(300)
    const failures = resolveZipSymlinks(
      new Map([
        [`${base}a/l1`, '../b/l2'],
        [`${base}b/l2`, `../${'../'.repeat(300)}top`],
        [`${base}b/l3`, `../${'../'.repeat(301)}above`],
        [`${base}a/sub/l4`, '../../b/l2/../a'],
        [`${base}a/sub/l5`, '../../b/l2/../../a'],
      ]),
    )
    expect([...failures.keys()]).toEqual([`${base}b/l3`, `${base}a/sub/l5`])
  })

  it('takes a link folder with odd segments as written', () => {
    const failures = resolveZipSymlinks(
      new Map([
        ['a//l', '../../x'],
        ['a//m', '../../../x'],
        ['/abs/l', '../../x'],
      ]),
    )
    expect([...failures.keys()].sort()).toEqual(['a//m'])
  })

  it('takes a leading empty segment of a link name as a folder of its own', () => {
    expect(resolveZipSymlinks(new Map([['/l', '..']]))).toEqual(new Map())
    expect(
      resolveZipSymlinks(
        new Map([
          ['', 'x'],
          ['/l', '..'],
        ]),
      ),
    ).toEqual(new Map())
  })

  it('does not split a link folder on a backslash', () => {
    expect(resolveZipSymlinks(new Map([['a\\b/l', '../../x']]))).toEqual(
      new Map([['a\\b/l', { kind: 'above-root', throughLinks: false }]]),
    )
  })

  it('counts an empty last component of a target as a step', () => {
    const fits = `${'./'.repeat(MAX_SYMLINK_RESOLUTION_STEPS - 1)}.`
    expect(resolveZipSymlinks(new Map([['l', fits]]))).toEqual(new Map())
    const over = './'.repeat(MAX_SYMLINK_RESOLUTION_STEPS)
    expect(resolveZipSymlinks(new Map([['l', over]]))).toEqual(
      new Map([['l', { kind: 'too-many-steps' }]]),
    )
  })

  it('climbs only on a component that is exactly two dots', () => {
    const targets = ['ab', 'x.', '.x', '...']
    expect(resolveZipSymlinks(new Map(targets.map((target, i) => [`l${i}`, target])))).toEqual(
      new Map(),
    )
  })

  it('says whether a climb above the root went through other links', () => {
    const failures = resolveZipSymlinks(
      new Map([
        ['direct', '..'],
        ['via', 'direct'],
      ]),
    )
    expect(failures).toEqual(
      new Map([
        ['direct', { kind: 'above-root', throughLinks: false }],
        ['via', { kind: 'above-root', throughLinks: true }],
      ]),
    )
  })

  it('names the link whose own target is bad, however many links lead to it', () => {
    const failures = resolveZipSymlinks(
      new Map([
        ['first', 'second'],
        ['second', 'empty'],
        ['empty', ''],
      ]),
    )
    const problem = 'has an empty target'
    expect(failures).toEqual(
      new Map([
        ['first', { kind: 'bad-target', problem, through: 'empty' }],
        ['second', { kind: 'bad-target', problem, through: 'empty' }],
        ['empty', { kind: 'bad-target', problem }],
      ]),
    )
  })

  it('takes only a drive letter at the start of a target as absolute', () => {
    expect(resolveZipSymlinks(new Map([['l', 'x/c:d']]))).toEqual(new Map())
    expect(resolveZipSymlinks(new Map([['l', 'c:d']]))).toEqual(
      new Map([['l', { kind: 'bad-target', problem: 'has an absolute target' }]]),
    )
  })
})
