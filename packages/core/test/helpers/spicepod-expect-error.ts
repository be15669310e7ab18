import { expect } from 'vitest'
import { type ErrorCode, PackwrightError } from '../../src/errors.js'
import { spiceMessageOf } from '../../src/spicepod/spicepod-error.js'

/**
 * Awaits `promise`, expects it to reject with a PackwrightError of `code`
 * whose Spice wording (for the Spice endpoint; the message itself for other
 * errors) starts with `firstSentence`, and whose details contain `details`,
 * and returns the error for further checks.
 */
export async function expectSpicepodError(
  promise: Promise<unknown>,
  code: ErrorCode,
  firstSentence: string,
  details: Record<string, unknown> = {},
): Promise<PackwrightError> {
  let caught: unknown
  try {
    await promise
  } catch (error) {
    caught = error
  }
  expect(caught, 'expected the promise to reject').toBeInstanceOf(PackwrightError)
  const error = caught as PackwrightError
  expect(error.code).toBe(code)
  const spiceWording = spiceMessageOf(error)
  expect(spiceWording.startsWith(`${firstSentence} `)).toBe(true)
  // Spice's sentence is the Spice endpoint's: the message itself never opens with it.
  if (spiceWording !== error.message) expect(error.message.startsWith(firstSentence)).toBe(false)
  expect(error.details).toMatchObject(details)
  return error
}
