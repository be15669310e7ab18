import { expect } from 'vitest'
import { type ErrorCode, PackwrightError } from '../../src/errors.js'

/**
 * Awaits `promise`, expects it to reject with a PackwrightError of `code`
 * whose message starts with `firstSentence` and whose details contain
 * `details`, and returns the error for further checks.
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
  expect(error.message.startsWith(`${firstSentence} `)).toBe(true)
  expect(error.details).toMatchObject(details)
  return error
}
