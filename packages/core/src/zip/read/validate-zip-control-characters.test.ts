import { describe, expect, it } from 'vitest'

import { buildRawZip, symlinkEntry } from '../../../test/helpers/build-raw-zip.js'
import { useScratchZipFiles } from '../../../test/helpers/scratch-zip-files.js'
import { validateZip } from './validate-zip.js'

const scratch = useScratchZipFiles('packwright-validate-control-')

const RAW_CONTROL = /[\p{Cc}\p{Bidi_Control}\u2028\u2029]/u

/** Characters that rewrite a terminal line or reorder text, each with how messages show it. */
const CONTROLS = [
  ['ESC[2K', '\u001b[2K', 'U+001B'],
  ['CSI (U+009B)', '\u009b2K', 'U+009B'],
  ['RLO (U+202E)', '\u202e', 'U+202E'],
  ['a newline', '\n', 'U+000A'],
  ['a carriage return', '\r', 'U+000D'],
  ['DEL', '\u007f', 'U+007F'],
  ['PDI (U+2069)', '\u2069', 'U+2069'],
  ['PARAGRAPH SEPARATOR (U+2029)', '\u2029', 'U+2029'],
] as const

describe('validateZip refuses control characters', () => {
  it.each(CONTROLS)(
    'in an entry name: %s (ZIP_ENTRY_PATH_CONTROL_CHARACTER)',
    async (_, control, shown) => {
      const name = `dir/evil${control}name.txt`
      const report = await validateZip(
        await scratch.write(
          buildRawZip([
            { name: 'ok.txt', data: 'fine' },
            { name, data: 'x' },
          ]),
        ),
      )
      expect(report.problems.map((problem) => problem.code)).toEqual([
        'ZIP_ENTRY_PATH_CONTROL_CHARACTER',
      ])
      const [problem] = report.problems
      expect(problem?.entry).toBe(name)
      expect(problem?.message).toContain(shown)
      expect(problem?.message).not.toMatch(RAW_CONTROL)
    },
  )

  it.each(CONTROLS)(
    'in a symlink target: %s (ZIP_SYMLINK_TARGET_CONTROL_CHARACTER)',
    async (_, control, shown) => {
      const report = await validateZip(
        await scratch.write(
          buildRawZip([
            { name: 'real.txt', data: 'x' },
            symlinkEntry('link', `real${control}.txt`),
          ]),
        ),
      )
      expect(report.problems.map((problem) => problem.code)).toEqual([
        'ZIP_SYMLINK_TARGET_CONTROL_CHARACTER',
      ])
      const [problem] = report.problems
      expect(problem?.entry).toBe('link')
      expect(problem?.message).toContain(shown)
      expect(problem?.message).not.toMatch(RAW_CONTROL)
    },
  )

  it('reports a control character in a name before the other rules it breaks', async () => {
    const report = await validateZip(
      await scratch.write(buildRawZip([{ name: '../\u001b[2Kx', data: 'x' }])),
    )
    expect(report.problems.map((problem) => problem.code)).toEqual([
      'ZIP_ENTRY_PATH_CONTROL_CHARACTER',
    ])
  })

  it('still accepts accents, other scripts and no-break spaces', async () => {
    const report = await validateZip(
      await scratch.write(
        buildRawZip([
          { name: 'café/日本語\u00a0notes.txt', data: 'x' },
          symlinkEntry('link', 'café/日本語\u00a0notes.txt'),
        ]),
      ),
    )
    expect(report.problems).toEqual([])
  })
})
