import { parseArgs, type ParseArgsConfig } from 'node:util'
import { UsageError } from './usage-error.js'

type Options = NonNullable<ParseArgsConfig['options']>

/**
 * `util.parseArgs` with strict checking, turning its exceptions into usage
 * errors that name the command.
 */
export function parseCommandLine<T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    throw new UsageError(`${command}: ${message}`)
  }
}

/** Parses an integer option within bounds, or throws a usage error naming the option. */
export function parseIntegerOption(
  name: string,
  value: string | undefined,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined) return undefined
  if (!/^-?\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(
      `--${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`,
    )
  }
  return Number(value)
}
