/**
 * The command line's own error codes, beside core's `ERROR_CODES`: `USAGE`
 * for a command line that cannot be run as written (exit code 2), `INTERNAL`
 * for a failure packwright did not expect, `NOT_BUILT` when the command is
 * run from a checkout before its first build. All are documented in
 * docs/errors.md.
 */
export const CLI_ERROR_CODES = ['USAGE', 'INTERNAL', 'NOT_BUILT'] as const

export type CliErrorCode = (typeof CLI_ERROR_CODES)[number]
