import { resolve } from 'node:path'
import { escapeControlCharacters, validateZip, type ZipValidationReport } from '@packwright/core'
import type { CliIo } from '../cli-io.js'
import { formatBytes } from '../format-bytes.js'
import { parseCommandLine } from '../parse-command-line.js'
import { UsageError } from '../usage-error.js'

const HELP = `Usage: packwright inspect <zip> [--json]

List a zip's entries (kind, mode, size, sha256) and validate it with the
default limits: 100,000 entries, 1 GiB uncompressed, no unsafe paths,
no escaping symlinks, no size or CRC lies, no zip bombs.
Exit code 0 when the zip is valid, 1 when it is not.
`

const OPTIONS = {
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/**
 * The report as text. Paths, link targets and messages come from the zip, so
 * their control characters are shown escaped (`\u001b`): a crafted name must
 * not be able to rewrite the terminal or hide the verdict.
 */
function renderReport(report: ZipValidationReport): string {
  const shown = escapeControlCharacters
  const problems = report.problems.map((problem) => `  [${problem.code}] ${shown(problem.message)}`)
  const verdict = `verdict: INVALID (${report.problems.length} problem${report.problems.length === 1 ? '' : 's'})`
  // Nothing was read (not a zip, cut short before its directory): only the verdict and why.
  if (!report.valid && report.entries.length === 0) return `${[verdict, ...problems].join('\n')}\n`
  const lines = ['kind       mode  size          sha256        path']
  for (const entry of report.entries) {
    const checksum = entry.sha256 === undefined ? '-' : entry.sha256.slice(0, 12)
    const target = entry.linkTarget === undefined ? '' : ` -> ${shown(entry.linkTarget)}`
    lines.push(
      `${entry.kind.padEnd(10)} ${String(entry.mode).padEnd(5)} ${formatBytes(entry.size).padStart(12)}  ` +
        `${checksum.padEnd(12)}  ${shown(entry.path)}${target}`,
    )
  }
  const files = report.entries.filter((entry) => entry.kind !== 'directory').length
  const summary =
    `${files} files and links, ${report.entries.length - files} directories, ` +
    `${formatBytes(report.totalUncompressedBytes)} uncompressed, ${formatBytes(report.size)} zip, ` +
    `sha256 ${report.sha256 ?? '-'}`
  lines.push('', summary)
  if (report.valid) {
    lines.push('verdict: valid')
  } else {
    lines.push(verdict, ...problems)
  }
  return `${lines.join('\n')}\n`
}

export async function runInspectCommand(
  args: readonly string[],
  io: CliIo,
  signal?: AbortSignal,
): Promise<number> {
  const { values, positionals } = parseCommandLine('inspect', args, OPTIONS)
  if (values.help === true) {
    io.stdout.write(HELP)
    return 0
  }
  if (positionals.length !== 1) {
    throw new UsageError(`inspect takes exactly one <zip>, got ${positionals.length}`, 'inspect')
  }
  const report = await validateZip(
    resolve(positionals[0] as string),
    signal === undefined ? {} : { signal },
  )
  io.stdout.write(values.json === true ? `${JSON.stringify(report)}\n` : renderReport(report))
  return report.valid ? 0 : 1
}
