import { PackwrightError } from '@packwright/core'
import { describe, expect, it } from 'vitest'
import { ActionError } from './action-error.js'
import { formatFailure } from './format-failure.js'

describe('formatFailure', () => {
  it('shows a packwright error as its code, message and hint on separate lines', () => {
    const error = new PackwrightError('SELECTION_EMPTY', 'Nothing was selected.', {
      hint: 'Check the include patterns.',
    })
    expect(formatFailure(error)).toBe(
      '[SELECTION_EMPTY] Nothing was selected.\nHint: Check the include patterns.',
    )
  })

  it.each([
    ['ESC erasing the line', 'name\u001b[2K\u001b[1Gvalid', 'name\\u001b[2K\\u001b[1Gvalid'],
    ['CSI (C1)', 'a\u009b2Kb', 'a\\u009b2Kb'],
    ['a bidi override', 'evil\u202Etxt.exe', 'evil\\u202etxt.exe'],
    ['a carriage return', 'ok\rFAKE', 'ok\\u000dFAKE'],
  ])('escapes %s in messages and hints of every kind of error', (_, raw, shown) => {
    expect(formatFailure(new PackwrightError('SOURCE_READ_FAILED', raw, { hint: raw }))).toBe(
      `[SOURCE_READ_FAILED] ${shown}\nHint: ${shown}`,
    )
    expect(formatFailure(new ActionError('ARTIFACT_UPLOAD_FAILED', raw))).toBe(
      `[ARTIFACT_UPLOAD_FAILED] ${shown}`,
    )
    expect(formatFailure(new Error(raw))).toBe(`[ACTION_INTERNAL] ${shown}`)
  })
})
