import { once } from 'node:events'
import { resolve } from 'node:path'
import type { Writable } from 'node:stream'
import {
  type GeneratedPackage,
  computeContentDigest,
  escapeControlCharacters,
  generatePackage,
} from '@packwright/core'
import type { CliIo } from '../cli-io.js'
import { formatBytes } from '../format-bytes.js'
import { parseCommandLine } from '../parse-command-line.js'
import { createProgressReporter } from '../progress-reporter.js'
import { resolveOutFile } from '../resolve-out-file.js'
import { UsageError } from '../usage-error.js'
import { writeFileAtomically } from '../write-file-atomically.js'
import { jsonResultPieces, manifestFilePieces } from './json-result-pieces.js'
import { refuseSharedOutputFiles } from './refuse-shared-output-files.js'
import { writeProvenanceFile } from './write-provenance-file.js'
import {
  PACKAGE_LIMIT_OPTIONS,
  PACKAGING_OPTIONS,
  parsePackageLimits,
  parsePackagingOptions,
} from './packaging-options.js'

const HELP = `Usage: packwright generate <source> [options]

Package a source into a deterministic zip and its resource manifest.

<source>
  path/to/spicepod.yaml            a spicepod manifest and every file it links
  path/to/folder                   a directory (globs and ignore files)
  github:{org}/{repo}/{sha}/{path} a GitHub repository at a commit (token: $GITHUB_TOKEN)
  git:{repoDir}#{sha}[:{path}]     a local git repository at a commit

Options:
  --out FILE                 where to write the zip (default: package.zip; given a folder,
                             package.zip inside it)
  --manifest FILE            also write the JSON manifest to FILE
  --provenance FILE          also write the package's provenance to FILE: an in-toto statement
                             (SLSA Provenance v1) to sign, e.g. package.zip.intoto.json
  --json                     print exactly one JSON object on stdout
  --mode MODE                auto | spicepod | directory (default: auto)
  --include GLOB             directory mode: include only matching files (repeatable)
  --exclude GLOB             directory mode: leave matching files out (repeatable)
  --follow-symlinks          directory mode: package link targets instead of links
  --allow-empty              directory mode: write an empty zip instead of failing
  --no-ignore-files          directory mode: apply no ignore file (by default each folder's
                             .packwrightignore or .cfignore, else its .gitignore)
  --allow-refs               accept branch or tag names where a commit SHA is expected
  --compression-level N      0 (store) to 9 (default: 6)
  --source-date-epoch N      entry timestamp in seconds (default: the commit time, else 1980-01-01)
  --max-entries N            refuse a package of more entries, folders included (default: 100000,
                             what \`packwright inspect\` accepts)
  --max-total-bytes N        refuse a package of more uncompressed bytes (default: 1073741824)
  --max-compression-ratio N  refuse a package with an entry of 64 MiB or more that deflate
                             shrinks by more than N times (default: 200, what \`inspect\` accepts)
  --github-api-url URL       GitHub REST API base (default: https://api.github.com)
`

const OPTIONS = {
  out: { type: 'string' },
  manifest: { type: 'string' },
  provenance: { type: 'string' },
  json: { type: 'boolean' },
  ...PACKAGING_OPTIONS,
  ...PACKAGE_LIMIT_OPTIONS,
  help: { type: 'boolean', short: 'h' },
} as const

/**
 * The machine-readable result: exactly what `--json` prints and `--manifest`
 * writes. `contentDigest` is `computeContentDigest(result.entries)`: the same
 * for any compression of the same files.
 */
export function toJsonResult(result: GeneratedPackage, contentDigest: string) {
  return {
    sha256: result.sha256,
    size: result.size,
    contentDigest,
    entries: result.entries.toArray().map(({ path, size, mode, sha1, sha256 }) => ({
      path,
      size,
      mode,
      sha1,
      sha256,
    })),
  }
}

/** The summary's ignore line: the ignore files applied, at most a few named. */
function describeIgnoreFiles(files: readonly string[]): string {
  if (files.length === 0) return 'no ignore file applied'
  const shown = files.slice(0, 5).map((file) => escapeControlCharacters(file))
  const more = files.length > shown.length ? ` and ${files.length - shown.length} more` : ''
  return `${shown.join(', ')}${more}`
}

/** The `--json` pieces with `"provenance": <path>` as the object's first field. */
function* withProvenancePath(pieces: Iterable<string>, path: string): Generator<string> {
  let first = true
  for (const piece of pieces) {
    yield first ? `{"provenance":${JSON.stringify(path)},${piece.slice(1)}` : piece
    first = false
  }
}

/** Writes the pieces then a newline, waiting for `drain` whenever the stream asks to. */
async function writePieces(stream: Writable, pieces: Iterable<string>): Promise<void> {
  for (const piece of pieces) {
    if (!stream.write(piece)) await once(stream, 'drain')
  }
  stream.write('\n')
}

export async function runGenerateCommand(
  args: readonly string[],
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseCommandLine('generate', args, OPTIONS)
  if (values.help === true) {
    io.stdout.write(HELP)
    return 0
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      `generate takes exactly one <source>, got ${positionals.length}`,
      'generate',
    )
  }
  const packaging = parsePackagingOptions('generate', values, process.env.GITHUB_TOKEN)
  const manifestFile = values.manifest === undefined ? undefined : resolve(values.manifest)
  const provenanceFile = values.provenance === undefined ? undefined : resolve(values.provenance)
  const outputPaths = [manifestFile, provenanceFile].filter((path) => path !== undefined)
  const outFile = await resolveOutFile(values.out)
  refuseSharedOutputFiles(
    { out: outFile, manifest: manifestFile, provenance: provenanceFile },
    'generate',
  )
  const progress = values.json === true ? undefined : createProgressReporter(io)
  const result = await generatePackage({
    source: positionals[0] as string,
    outFile,
    ...packaging,
    ...(outputPaths.length === 0 ? {} : { outputPaths }),
    limits: parsePackageLimits(values),
    ...(progress === undefined ? {} : { onProgress: progress.report }),
    ...(signal === undefined ? {} : { signal }),
  }).finally(() => progress?.finish())

  const contentDigest = computeContentDigest(result.entries)
  if (manifestFile !== undefined) {
    await writeFileAtomically(manifestFile, manifestFilePieces(result, contentDigest), signal)
  }
  if (provenanceFile !== undefined) {
    await writeProvenanceFile(provenanceFile, result, positionals[0] as string, packaging, signal)
  }
  if (values.json === true) {
    const pieces = jsonResultPieces(result, false, contentDigest)
    await writePieces(
      io.stdout,
      provenanceFile === undefined ? pieces : withProvenancePath(pieces, provenanceFile),
    )
  } else {
    const files = result.entries.length
    io.stdout.write(
      `packaged ${files} file${files === 1 ? '' : 's'} (${result.mode} mode) from ${result.sourceDescription}\n` +
        `  zip     ${result.path}\n` +
        `  size    ${formatBytes(result.size)} (${result.size} bytes)\n` +
        `  sha256  ${result.sha256}\n` +
        `  content ${contentDigest}\n` +
        (result.mode === 'directory'
          ? `  ignore  ${describeIgnoreFiles(result.ignoreFiles)}\n`
          : '') +
        (provenanceFile === undefined ? '' : `  provenance ${provenanceFile}\n`),
    )
  }
  return 0
}
