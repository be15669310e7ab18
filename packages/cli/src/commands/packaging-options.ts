import type { GeneratePackageOptions } from '@packwright/core'
import { parseIntegerOption } from '../parse-command-line.js'
import { UsageError } from '../usage-error.js'

/** The options that say how a source becomes a package; `generate` and `push` share them. */
export const PACKAGING_OPTIONS = {
  mode: { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  'follow-symlinks': { type: 'boolean' },
  'allow-empty': { type: 'boolean' },
  'no-ignore-files': { type: 'boolean' },
  'allow-refs': { type: 'boolean' },
  'compression-level': { type: 'string' },
  'source-date-epoch': { type: 'string' },
  'github-api-url': { type: 'string' },
} as const

const MODES = ['auto', 'spicepod', 'directory'] as const

/** The parsed values of {@link PACKAGING_OPTIONS}. */
export interface PackagingOptionValues {
  readonly mode?: string | undefined
  readonly include?: string[] | undefined
  readonly exclude?: string[] | undefined
  readonly 'follow-symlinks'?: boolean | undefined
  readonly 'allow-empty'?: boolean | undefined
  readonly 'no-ignore-files'?: boolean | undefined
  readonly 'allow-refs'?: boolean | undefined
  readonly 'compression-level'?: string | undefined
  readonly 'source-date-epoch'?: string | undefined
  readonly 'github-api-url'?: string | undefined
}

export type PackagingSettings = Pick<
  GeneratePackageOptions,
  | 'mode'
  | 'include'
  | 'exclude'
  | 'followSymlinks'
  | 'allowEmpty'
  | 'ignoreFiles'
  | 'allowRefs'
  | 'compressionLevel'
  | 'sourceDateEpoch'
  | 'github'
>

/**
 * Turns the packaging options of a command line into core's options; the
 * GitHub token comes from the environment, read by the caller at the edge.
 */
export function parsePackagingOptions(
  command: string,
  values: PackagingOptionValues,
  githubToken: string | undefined,
): PackagingSettings {
  const mode = values.mode ?? 'auto'
  if (!(MODES as readonly string[]).includes(mode)) {
    throw new UsageError(
      `--mode must be one of ${MODES.join(', ')}, got ${JSON.stringify(mode)}`,
      command,
    )
  }
  return {
    mode: mode as (typeof MODES)[number],
    include: values.include,
    exclude: values.exclude,
    followSymlinks: values['follow-symlinks'],
    allowEmpty: values['allow-empty'],
    ...(values['no-ignore-files'] === true ? { ignoreFiles: false } : {}),
    allowRefs: values['allow-refs'],
    compressionLevel: parseIntegerOption('compression-level', values['compression-level'], 0, 9),
    sourceDateEpoch: parseIntegerOption(
      'source-date-epoch',
      values['source-date-epoch'],
      0,
      2 ** 32,
    ),
    github: {
      ...(values['github-api-url'] === undefined ? {} : { apiBaseUrl: values['github-api-url'] }),
      ...(githubToken === undefined || githubToken === '' ? {} : { token: githubToken }),
    },
  }
}
