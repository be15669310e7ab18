import { readFile } from 'node:fs/promises'
import { PackwrightError, quoteInput } from '@packwright/core'
import type { SpiceConfig } from '../config/server-config.js'
import type { SpiceGenerateSettings } from './spice-generate-settings.js'

/** A token file holds one token; anything past this is not one. */
const MAX_TOKEN_FILE_BYTES = 4096

/**
 * The generate endpoint's settings for a config's `spice` section: reads the
 * default token from `githubTokenFile` (surrounding whitespace dropped), at
 * the edge, once. No message ever holds the file's content.
 *
 * @throws PackwrightError `INVALID_ARGUMENT` when the file cannot be read,
 *   is empty, or is too large to be a token.
 */
export async function loadSpiceSettings(
  config: SpiceConfig | undefined,
): Promise<SpiceGenerateSettings> {
  if (config === undefined) return {}
  const settings: { -readonly [K in keyof SpiceGenerateSettings]: SpiceGenerateSettings[K] } = {}
  if (config.githubApiUrl !== undefined) settings.githubApiUrl = config.githubApiUrl
  if (config.cache !== undefined) settings.cache = config.cache
  if (config.githubTokenFile !== undefined) {
    const file = quoteInput(config.githubTokenFile)
    let bytes: Buffer
    try {
      bytes = await readFile(config.githubTokenFile)
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable'
      throw new PackwrightError(
        'INVALID_ARGUMENT',
        `Could not read the GitHub token file ${file} (spice.githubTokenFile): ${reason}.`,
        { hint: 'Name a readable file that holds only the token.' },
      )
    }
    const token = bytes.length > MAX_TOKEN_FILE_BYTES ? '' : bytes.toString('utf8').trim()
    if (token === '') {
      throw new PackwrightError(
        'INVALID_ARGUMENT',
        `The GitHub token file ${file} (spice.githubTokenFile) ${bytes.length > MAX_TOKEN_FILE_BYTES ? `is larger than ${MAX_TOKEN_FILE_BYTES} bytes` : 'is empty'}; expected one token.`,
      )
    }
    settings.githubToken = token
  }
  return settings
}
