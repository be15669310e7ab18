import { describe, expect, it } from 'vitest'

import { compareContentManifests } from './compare-content-manifests.js'
import { ContentManifest } from './content-manifest.js'
import { contentFile as file, contentLink as link } from '../../test/helpers/content-entries.js'

const paths = (entries: readonly { path: string }[]) => entries.map((entry) => entry.path)

describe('compareContentManifests', () => {
  it('finds nothing between manifests of the same entries in other orders', () => {
    const entries = [file('a', '1'), link('b', 'a'), file('c/d', '2', '755')]
    const comparison = compareContentManifests(
      ContentManifest.from(entries),
      ContentManifest.from([...entries].reverse()),
    )
    expect(comparison).toEqual({ missing: [], extra: [], changed: [] })
  })

  it('lists missing, extra and changed entries in canonical order, with what differs', () => {
    const expected = ContentManifest.from([
      file('same', 'x'),
      file('only-expected', 'e'),
      file('content', 'new content'),
      file('mode', 'm', '755'),
      link('target', 'same'),
      file('type', 'same'),
      file('\u{1F600}', 'astral'),
    ])
    const actual = ContentManifest.from([
      file('same', 'x'),
      file('content', 'old'),
      file('mode', 'm'),
      link('target', 'content'),
      link('type', 'same'),
      file('\uE000', 'private use'),
      file('only-actual', 'a'),
    ])
    const { missing, extra, changed } = compareContentManifests(expected, actual)
    expect(paths(missing)).toEqual(['only-expected', '\u{1F600}'])
    expect(paths(extra)).toEqual(['only-actual', '\uE000'])
    expect(changed.map(({ path, differences }) => [path, differences])).toEqual([
      ['content', ['content']],
      ['mode', ['mode']],
      ['target', ['linkTarget']],
      ['type', ['type', 'mode']],
    ])
    const content = changed[0]
    expect([content?.expected.size, content?.actual.size]).toEqual([11, 3])
  })

  it('calls a file of other bytes but the same size changed content', () => {
    const { changed } = compareContentManifests(
      ContentManifest.from([file('a', 'one')]),
      ContentManifest.from([file('a', 'two')]),
    )
    expect(changed.map((entry) => entry.differences)).toEqual([['content']])
  })
})
