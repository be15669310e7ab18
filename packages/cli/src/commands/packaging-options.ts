import type { GeneratePackageOptions, ZipLimits } from '@packwright/core'
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

/**
 * The limits a package must stay within (`generate` refuses to write past
 * them, `verify` also applies them to the zip it checks); `push` has none.
 */
export const PACKAGE_LIMIT_OPTIONS = {
  'max-entries': { type: 'string' },
  'max-total-bytes': { type: 'string' },
  'max-compression-ratio': { type: 'string' },
} as const

/** The parsed values of {@link PACKAGE_LIMIT_OPTIONS}. */
export interface PackageLimitValues {
  readonly 'max-entries'?: string | undefined
  readonly 'max-total-bytes'?: string | undefined
  readonly 'max-compression-ratio'?: string | undefined
}

/** Turns the limit options into overrides of core's `DEFAULT_ZIP_LIMITS` (unset ones stay undefined). */
export function parsePackageLimits(values: PackageLimitValues): {
  [K in 'maxEntries' | 'maxTotalUncompressedBytes' | 'maxCompressionRatio']:
    ZipLimits[K] | undefined
} {
  return {
    maxEntries: parseIntegerOption('max-entries', values['max-entries'], 1, 2 ** 32),
    maxTotalUncompressedBytes: parseIntegerOption(
      'max-total-bytes',
      values['max-total-bytes'],
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    maxCompressionRatio: parseIntegerOption(
      'max-compression-ratio',
      values['max-compression-ratio'],
      1,
      Number.MAX_SAFE_INTEGER,
    ),
  }
}
