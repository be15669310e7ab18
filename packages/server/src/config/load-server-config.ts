import { readFile } from 'node:fs/promises'
import { PackwrightError, quoteInput } from '@packwright/core'
import { parse } from 'yaml'
import { parseServerConfig } from './parse-server-config.js'
import type { ServerConfig } from './server-config.js'

/** Most a config file may hold; it lists settings and tokens, nothing bulky. */
const MAX_CONFIG_BYTES = 1024 * 1024

/**
 * Reads a server config file. JSON and YAML are both accepted (YAML reads
 * JSON as it is), whatever the file is named.
 */
export async function loadServerConfig(file: string): Promise<ServerConfig> {
  const source = quoteInput(file)
  let text: string
  try {
    const bytes = await readFile(file)
    if (bytes.byteLength > MAX_CONFIG_BYTES) {
      throw new PackwrightError(
        'INVALID_ARGUMENT',
        `Server config ${source} is ${bytes.byteLength} bytes; at most ${MAX_CONFIG_BYTES} are read.`,
      )
    }
    text = bytes.toString('utf8')
  } catch (error) {
    if (error instanceof PackwrightError) throw error
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Could not read server config ${source}: ${error instanceof Error ? error.message : 'unknown error'}.`,
      { cause: error, hint: 'Pass the path of a readable JSON or YAML file.' },
    )
  }
  let document: unknown
  try {
    document = parse(text, { maxAliasCount: 100 })
  } catch (error) {
    throw new PackwrightError(
      'INVALID_ARGUMENT',
      `Server config ${source} is neither valid JSON nor YAML: ${error instanceof Error ? error.message.split('\n')[0] : 'parse error'}.`,
      { cause: error },
    )
  }
  return parseServerConfig(document, source)
}
