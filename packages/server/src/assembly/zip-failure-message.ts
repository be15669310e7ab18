import { escapeControlCharacters, type ZipLimits, type ZipProblem } from '@packwright/core'

/**
 * The `data.error` of a package whose uploaded zip failed validation, in
 * Cloud Controller's wording, with core's reason in the parentheses.
 */
export function zipFailureMessage(problem: ZipProblem, limits: ZipLimits): string {
  if (problem.code === 'ZIP_TOO_LARGE') {
    return `The app package is invalid: Package may not be larger than ${limits.maxTotalUncompressedBytes} bytes`
  }
  if (problem.code === 'ZIP_NOT_A_ZIP') {
    return 'The app upload is invalid: Invalid zip archive (end-of-central-directory signature not found).'
  }
  const reason = escapeControlCharacters(problem.message).replace(/\.$/, '')
  return `The app upload is invalid: Invalid zip archive (${reason}).`
}
