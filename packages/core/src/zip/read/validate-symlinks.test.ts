import { describe, expect, it } from 'vitest'

import { buildRawZip, symlinkEntry } from '../../../test/helpers/build-raw-zip.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import { validateSymlinks } from './validate-symlinks.js'
import { validateZip } from './validate-zip.js'

const scratch = useScratchZipFiles('packwright-validate-symlinks-')

describe('validateSymlinks runs in linear time', () => {
  // Each target walks 380 folders down and back up, then goes through the
  // next link of a chain of five; the last of a chain points 900 folders
  // down. Walking every target inline, with the path as strings, took about a
  // minute here; the linear walk takes a fraction of a second, so the test's
  // time limit catches a return to the inline walk without timing the code.
  it(
    'judges 2,000 deep links with long targets that go through each other',
    { timeout: 20_000 },
    () => {
      const folder = 's/'.repeat(200)
      const detour = `${'d/'.repeat(380)}${'../'.repeat(380)}`
      const links = new Map<string, string>()
      for (let i = 0; i < 2000; i++)
        links.set(`${folder}${i}`, i % 5 === 4 ? `${'d/'.repeat(900)}f` : `${detour}${i + 1}`)
      expect(validateSymlinks(links)).toEqual([])
    },
  )
})

describe('validateZip follows long chains of links', () => {
  it('still reports each link of a long chain that follows more than 40 links', async () => {
    const entries = Array.from({ length: 300 }, (_, i) =>
      symlinkEntry(`l${i}`, i === 299 ? 'file' : `${'x/../'.repeat(40)}l${i + 1}`, {
        deflate: true,
      }),
    )
    const report = await validateZip(await scratch.write(buildRawZip(entries)))
    const failing = report.problems.map((problem) => problem.entry)
    // l259 follows exactly 40 links; each one before it follows more.
    expect(failing).toEqual(Array.from({ length: 259 }, (_, i) => `l${i}`))
    expect(report.problems[0]?.message).toContain('goes through more than 40 symlinks')
  })
})

describe('validateSymlinks messages', () => {
  const messageFor = (links: Record<string, string>, name: string): string | undefined =>
    validateSymlinks(new Map(Object.entries(links))).find((problem) => problem.entry === name)
      ?.message

  it('names the link a failing target resolves through', () => {
    expect(messageFor({ a: '', 'b/c': '../a' }, 'b/c')).toBe(
      'Symlink "b/c" → "../a" resolves through symlink "a", which has an empty target; expected a relative target that stays inside the zip.',
    )
    expect(messageFor({ a: '' }, 'a')).toBe(
      'Symlink "a" → "" has an empty target; expected a relative target that stays inside the zip.',
    )
  })

  it('says whether a target climbs above the root by itself or through other links', () => {
    expect(messageFor({ 'd/up': '../..' }, 'd/up')).toBe(
      'Symlink "d/up" → "../.." points above the zip root; expected a relative target that stays inside the zip.',
    )
    expect(messageFor({ here: '.', via: 'here/..' }, 'via')).toBe(
      'Symlink "via" → "here/.." points above the zip root through other symlinks in the zip; expected a relative target that stays inside the zip.',
    )
  })

  it('gives the step limit for a target too long to walk', () => {
    const target = 'x/'.repeat(5000)
    expect(messageFor({ long: target }, 'long')).toBe(
      `Symlink "long" → "${target.slice(0, 200)}…" cannot be resolved within 4096 steps; expected a relative target that stays inside the zip.`,
    )
  })
})
