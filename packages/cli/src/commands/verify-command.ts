import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative, resolve, isAbsolute } from 'node:path'
import {
  type ContentComparison,
  ContentManifest,
  type ContentManifestEntry,
  type GeneratedPackage,
  type ZipValidationReport,
  assertValidZip,
  compareContentManifests,
  escapeControlCharacters,
  generatePackage,
  parseSourceSpec,
} from '@packwright/core'
import type { CliIo } from '../cli-io.js'
import { formatBytes } from '../format-bytes.js'
import { parseCommandLine } from '../parse-command-line.js'
import { createProgressReporter } from '../progress-reporter.js'
import { UsageError } from '../usage-error.js'
import {
  PACKAGE_LIMIT_OPTIONS,
  PACKAGING_OPTIONS,
  parsePackageLimits,
  parsePackagingOptions,
} from './packaging-options.js'

const HELP = `Usage: packwright verify <zip> <source> [options]

Check that a zip is exactly the package a source gives: the source is
packaged again, as \`packwright generate\` would with the same options, into a
temporary file (removed afterwards), and compared with the zip.

Verdicts:
  identical      the zip is byte for byte the package (same sha256)
  same-content   other bytes, same content digest: the same files with the same
                 types, modes and contents (for example compressed differently)
  different      files are missing, extra or changed; each is listed with what
                 differs (content, mode, type, link target) and its sizes

Exit code: 0 identical or same-content, 1 different or failed, 2 usage.
The zip is validated first (as \`packwright inspect\` does, with the limits
below): an invalid zip fails with exit code 1 and its first problem's
\`error [ZIP_…]\` line, and nothing is packaged.

<source>
  path/to/spicepod.yaml            a spicepod manifest and every file it links
  path/to/folder                   a directory (globs and ignore files); the zip
                                   itself is left out when it lies inside
  github:{org}/{repo}/{sha}/{path} a GitHub repository at a commit (token: $GITHUB_TOKEN)
  git:{repoDir}#{sha}[:{path}]     a local git repository at a commit

Options:
  --json                     print exactly one JSON object on stdout
  --mode MODE                auto | spicepod | directory (default: auto)
  --include GLOB             directory mode: include only matching files (repeatable)
  --exclude GLOB             directory mode: leave matching files out (repeatable)
  --follow-symlinks          directory mode: package link targets instead of links
  --allow-empty              directory mode: an empty selection is an empty package
  --no-ignore-files          directory mode: apply no ignore file (by default each folder's
                             .packwrightignore or .cfignore, else its .gitignore)
  --allow-refs               accept branch or tag names where a commit SHA is expected
  --compression-level N      0 (store) to 9 (default: 6); only \`identical\` depends on it
  --source-date-epoch N      entry timestamp in seconds (default: the commit time, else 1980-01-01)
  --max-entries N            limits of the zip and of the rebuilt package, as for generate
  --max-total-bytes N        (defaults: 100000 entries, 1073741824 bytes, ratio 200)
  --max-compression-ratio N
  --github-api-url URL       GitHub REST API base (default: https://api.github.com)
`

const OPTIONS = {
  json: { type: 'boolean' },
  ...PACKAGING_OPTIONS,
  ...PACKAGE_LIMIT_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const

/** Entries listed per kind of difference in the text summary; `--json` lists all. */
const LISTED_PER_KIND = 50

export type VerifyVerdict = 'identical' | 'same-content' | 'different'

/** One package's digests, as `--json` prints them. */
interface PackageDigests {
  readonly sha256: string
  readonly size: number
  readonly contentDigest: string
}

/** The machine-readable result: exactly what `--json` prints. */
export interface VerifyResult {
  readonly verdict: VerifyVerdict
  readonly zip: PackageDigests & { readonly path: string }
  readonly source: PackageDigests & { readonly description: string; readonly commit?: string }
  readonly missing: readonly ContentManifestEntry[]
  readonly extra: readonly ContentManifestEntry[]
  readonly changed: ContentComparison['changed']
}

/** The verdict for a zip against the package rebuilt from the source. */
export function verdictOf(zip: PackageDigests, rebuilt: PackageDigests): VerifyVerdict {
  if (zip.sha256 === rebuilt.sha256) return 'identical'
  return zip.contentDigest === rebuilt.contentDigest ? 'same-content' : 'different'
}

/**
 * Where the rebuilt package is written: beside the zip when the zip lies
 * inside the packaged folder, so that the run leaves out the same paths as
 * the `generate` that wrote the zip there (the zip, and its folder unless it
 * is the root); else in a new temporary folder. Either is removed afterwards.
 */
async function rebuildLocation(
  zipPath: string,
  source: string,
): Promise<{ file: string; folder?: string }> {
  let folder: string | undefined
  try {
    const spec = parseSourceSpec(source)
    if (spec.kind === 'local') folder = resolve(spec.path)
  } catch {
    // generatePackage reports the bad spec with its code.
  }
  const rel = folder === undefined ? undefined : relative(folder, zipPath)
  if (rel !== undefined && rel !== '' && !rel.startsWith('..') && !isAbsolute(rel)) {
    const name = `.${basename(zipPath)}.verify-${randomBytes(6).toString('hex')}.zip`
    return { file: join(dirname(zipPath), name) }
  }
  const created = await mkdtemp(join(tmpdir(), 'packwright-verify-'))
  return { file: join(created, 'package.zip'), folder: created }
}

function toVerifyResult(
  zipPath: string,
  report: ZipValidationReport,
  zipDigest: string,
  rebuilt: GeneratedPackage,
  rebuiltDigest: string,
  comparison: ContentComparison,
): VerifyResult {
  const zip = {
    path: zipPath,
    sha256: report.sha256 ?? '',
    size: report.size,
    contentDigest: zipDigest,
  }
  const source = {
    description: rebuilt.sourceDescription,
    ...(rebuilt.sourceCommit === undefined ? {} : { commit: rebuilt.sourceCommit }),
    sha256: rebuilt.sha256,
    size: rebuilt.size,
    contentDigest: rebuiltDigest,
  }
  return { verdict: verdictOf(zip, source), zip, source, ...comparison }
}

function describeEntry(entry: ContentManifestEntry): string {
  const target =
    entry.linkTarget === undefined ? '' : ` -> ${escapeControlCharacters(entry.linkTarget)}`
  return `${escapeControlCharacters(entry.path)}${target} (${entry.kind}, ${entry.mode}, ${formatBytes(entry.size)})`
}

function describeChange({
  path,
  differences,
  expected,
  actual,
}: VerifyResult['changed'][number]): string {
  const parts = differences.map((difference) => {
    switch (difference) {
      case 'type':
        return `type ${expected.kind} -> ${actual.kind}`
      case 'mode':
        return `mode ${expected.mode} -> ${actual.mode}`
      case 'linkTarget':
        return `link target ${JSON.stringify(escapeControlCharacters(expected.linkTarget ?? ''))} -> ${JSON.stringify(escapeControlCharacters(actual.linkTarget ?? ''))}`
      case 'content':
        return `content ${formatBytes(expected.size)} -> ${formatBytes(actual.size)}`
    }
  })
  return `${escapeControlCharacters(path)}: ${parts.join(', ')}`
}

function listed<T>(label: string, items: readonly T[], describe: (item: T) => string): string[] {
  const lines = items
    .slice(0, LISTED_PER_KIND)
    .map((item) => `  ${label.padEnd(8)} ${describe(item)}`)
  if (items.length > LISTED_PER_KIND) {
    lines.push(
      `  ${' '.repeat(8)} … and ${items.length - LISTED_PER_KIND} more ${label} (--json lists all)`,
    )
  }
  return lines
}

/** The result as text: the verdict first, then both packages' digests and every difference. */
export function renderVerifyResult(result: VerifyResult): string {
  const { verdict, zip, source } = result
  const counts = `${result.missing.length} missing, ${result.extra.length} extra, ${result.changed.length} changed`
  const headline =
    verdict === 'identical'
      ? 'verdict: identical (the zip is byte for byte the package the source gives)'
      : verdict === 'same-content'
        ? 'verdict: same-content (other bytes, same files, modes and contents)'
        : `verdict: different (${counts})`
  const lines = [
    headline,
    `  zip      ${escapeControlCharacters(zip.path)}`,
    `           sha256 ${zip.sha256}, content ${zip.contentDigest}, ${formatBytes(zip.size)}`,
    `  source   ${escapeControlCharacters(source.description)}`,
    `           sha256 ${source.sha256}, content ${source.contentDigest}, ${formatBytes(source.size)}`,
    ...listed('missing', result.missing, describeEntry),
    ...listed('extra', result.extra, describeEntry),
    ...listed('changed', result.changed, describeChange),
  ]
  return `${lines.join('\n')}\n`
}

export async function runVerifyCommand(
  args: readonly string[],
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseCommandLine('verify', args, OPTIONS)
  if (values.help === true) {
    io.stdout.write(HELP)
    return 0
  }
  if (positionals.length !== 2) {
    throw new UsageError(
      `verify takes a <zip> and a <source>, got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}`,
      'verify',
    )
  }
  const [zipArg, source] = positionals as [string, string]
  const packaging = parsePackagingOptions('verify', values, process.env.GITHUB_TOKEN)
  const limits = parsePackageLimits(values)
  const zipPath = resolve(zipArg)
  const report = await assertValidZip(zipPath, {
    limits,
    ...(signal === undefined ? {} : { signal }),
  })
  // The validation read and hashed every entry: its report is the zip's content.
  const zipManifest = ContentManifest.from(report.entries)

  const location = await rebuildLocation(zipPath, source)
  const progress = values.json === true ? undefined : createProgressReporter(io)
  let result: VerifyResult
  try {
    const rebuilt = await generatePackage({
      source,
      outFile: location.file,
      ...packaging,
      outputPaths: [zipPath],
      limits,
      ...(progress === undefined ? {} : { onProgress: progress.report }),
      ...(signal === undefined ? {} : { signal }),
    }).finally(() => progress?.finish())
    const rebuiltManifest = ContentManifest.fromResources(rebuilt.entries)
    result = toVerifyResult(
      zipPath,
      report,
      zipManifest.digest(),
      rebuilt,
      rebuiltManifest.digest(),
      compareContentManifests(rebuiltManifest, zipManifest),
    )
  } finally {
    await rm(location.folder ?? location.file, { recursive: true, force: true })
  }
  io.stdout.write(values.json === true ? `${JSON.stringify(result)}\n` : renderVerifyResult(result))
  return result.verdict === 'different' ? 1 : 0
}
