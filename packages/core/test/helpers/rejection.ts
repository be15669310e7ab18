import { PackwrightError } from '../../src/errors.js'

/** The PackwrightError a promise rejects with; fails the test when it resolves or rejects otherwise. */
export async function rejection(promise: Promise<unknown>): Promise<PackwrightError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof PackwrightError) return error
    throw error
  }
  throw new Error('expected a rejection')
}
