import { parseArgs, type ParseArgsConfig } from 'node:util'
import { closestName } from './closest-name.js'
import { UsageError } from './usage-error.js'

type Options = NonNullable<ParseArgsConfig['options']>

function quoted(arg: string): string {
  return JSON.stringify(arg.length > 60 ? `${arg.slice(0, 60)}…` : arg)
}

/**
 * Finds what is wrong with a command line before `util.parseArgs` sees it, and
 * says it in packwright's words: an unknown option (with the closest valid one
 * for a typo), a missing value, a value given to a switch.
 */
function findProblem(command: string, args: readonly string[], options: Options) {
  const names = Object.keys(options)
  const shorts = new Map(
    Object.entries(options).flatMap(([name, option]) =>
      option.short === undefined ? [] : [[option.short, name] as const],
    ),
  )
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] as string
    if (arg === '--') return undefined
    if (!arg.startsWith('-') || arg === '-') continue
    const long = arg.startsWith('--')
    const equals = arg.indexOf('=')
    const name = long
      ? arg.slice(2, equals < 0 ? undefined : equals)
      : (shorts.get(arg.slice(1, 2)) ?? arg.slice(1))
    const option = options[name]
    if (option === undefined) {
      const suggestion = closestName(name, names)
      return (
        `${command} has no option ${quoted(long ? `--${name}` : arg)}` +
        (suggestion === undefined ? '' : `; did you mean --${suggestion}?`)
      )
    }
    if (!long && arg.length > 2) {
      return `${command}: ${quoted(arg)} is not an option; write each switch on its own, such as -${arg.slice(1, 2)}`
    }
    if (option.type === 'boolean' && equals >= 0) {
      return `--${name} is a switch and takes no value; write --${name} alone, without ${quoted(arg.slice(equals))}`
    }
    if (option.type === 'string' && equals < 0) {
      const next = args[index + 1]
      if (next === undefined || next === '--') {
        return `--${name} needs a value, such as --${name} VALUE`
      }
      if (next.startsWith('-') && next !== '-') {
        return `--${name} needs a value, but ${quoted(next)} looks like an option; write --${name}=${next} if it is the value`
      }
      index += 1
    }
  }
  return undefined
}

/**
 * `util.parseArgs` with strict checking; a command line it would refuse is a
 * usage error in packwright's words, naming the option and, for a typo, the
 * closest valid one.
 */
export function parseCommandLine<T extends Options>(
  command: string,
  args: readonly string[],
  options: T,
) {
  const problem = findProblem(command, args, options)
  if (problem !== undefined) throw new UsageError(problem, command)
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true })
  } catch {
    throw new UsageError(`${command} could not read its command line`, command)
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
