import { type SourceEntry } from '../source/source-reader.js'
import { type SpicepodErrorDetails, spicepodError } from './spicepod-error.js'
import { type SpicepodPlanContext } from './spicepod-plan-context.js'

/** Largest manifest or component file parsed by default (1 MiB). */
export const DEFAULT_MAX_SPICEPOD_YAML_BYTES = 1024 * 1024

/**
 * Reads a manifest or component file and parses it as a YAML mapping, within
 * the context's size and alias limits; `code` says which kind of file it is.
 *
 * @throws PackwrightError `code` (too large, not UTF-8, not a single YAML
 *   mapping), `SPICEPOD_READ_FAILED`, `ABORTED`.
 */
export async function readSpicepodYaml(
  context: SpicepodPlanContext,
  entry: SourceEntry,
  code: 'SPICEPOD_PARSE_FAILED' | 'SPICEPOD_COMPONENT_PARSE_FAILED',
  details: SpicepodErrorDetails,
): Promise<Record<string, unknown>> {
  const { maxBytes, maxAliasCount } = context.yamlLimits
  const fail = (reason: string, cause?: unknown) =>
    spicepodError(code, `${entry.path}: ${reason}`, details, cause === undefined ? {} : { cause })
  const tooLarge = (size: number) =>
    fail(`the file is ${size} bytes; YAML files are limited to ${maxBytes} bytes.`)

  // The size is checked before reading, and again after: a source may change.
  if (entry.size > maxBytes) throw tooLarge(entry.size)
  const bytes = await context.source.readBytes(entry, details)
  if (bytes.length > maxBytes) throw tooLarge(bytes.length)
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch (error) {
    throw fail('the file is not valid UTF-8 text.', error)
  }
  // The YAML parser is loaded with the first spicepod: other packages never need it.
  const { parseYamlMapping } = await import('./parse-yaml-mapping.js')
  const parsed = parseYamlMapping(text, maxAliasCount === undefined ? {} : { maxAliasCount })
  if (!parsed.ok) {
    // The excerpt goes on its own lines, indented, so the caret stays under the column.
    const excerpt = parsed.excerpt === undefined ? '' : `\n${parsed.excerpt.replace(/^/gm, '    ')}`
    throw fail(`${parsed.reason}.${excerpt}`)
  }
  return parsed.value
}
