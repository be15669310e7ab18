import { type ZipValidationReport } from '../../src/zip/read/validate-zip-report.js'
import { type ExtractedKind, type UnzipVerdict } from './unzip-oracle.js'

/**
 * Everything Info-ZIP `unzip` did differently from what a zip our validator
 * called valid promises: `unzip -t` must accept it, `unzip -Z1` must list
 * exactly our entry names in our order, and extraction must succeed and
 * produce exactly our entries (plus the folders they imply) with the same
 * kinds, sha256 and symlink targets, and nothing outside the target folder.
 * Returns one sentence per disagreement; empty when unzip agrees.
 */
export function findUnzipDisagreements(
  report: ZipValidationReport,
  verdict: UnzipVerdict,
): string[] {
  const disagreements: string[] = []
  if (verdict.testExitCode !== 0)
    disagreements.push(`unzip -t exits ${verdict.testExitCode}: ${verdict.testOutput}`)
  const names = report.entries.map((entry) => entry.path)
  if (verdict.listExitCode !== 0) disagreements.push(`unzip -Z1 exits ${verdict.listExitCode}`)
  if (JSON.stringify(verdict.listedNames) !== JSON.stringify(names)) {
    disagreements.push(
      `unzip -Z1 lists ${JSON.stringify(verdict.listedNames)}, we list ${JSON.stringify(names)}`,
    )
  }
  if (verdict.extractExitCode !== 0) {
    disagreements.push(`unzip -o -d exits ${verdict.extractExitCode}: ${verdict.extractOutput}`)
  }
  if (verdict.outside.length > 0)
    disagreements.push(`unzip wrote outside its folder: ${JSON.stringify(verdict.outside)}`)

  const expected = expectedTree(report)
  for (const path of new Set([...expected.keys(), ...verdict.extracted.keys()])) {
    const want = expected.get(path)
    const got = verdict.extracted.get(path)
    if (JSON.stringify(want) !== JSON.stringify(got)) {
      disagreements.push(
        `${JSON.stringify(path)}: we expect ${describe(want)}, unzip extracted ${describe(got)}`,
      )
    }
  }
  return disagreements
}

/** What extracting the validated entries must create: each entry, and every folder above one. */
function expectedTree(report: ZipValidationReport): Map<string, ExtractedKind> {
  const tree = new Map<string, ExtractedKind>()
  for (const entry of report.entries) {
    const path = entry.kind === 'directory' ? entry.path.replace(/\/$/, '') : entry.path
    const parts = path.split('/')
    for (let depth = 1; depth < parts.length; depth++)
      tree.set(parts.slice(0, depth).join('/'), { kind: 'directory' })
    if (entry.kind === 'directory') tree.set(path, { kind: 'directory' })
    else if (entry.kind === 'symlink')
      tree.set(path, { kind: 'symlink', target: entry.linkTarget ?? '(target not read)' })
    else tree.set(path, { kind: 'file', sha256: entry.sha256 ?? '(not read)' })
  }
  return tree
}

function describe(kind: ExtractedKind | undefined): string {
  if (kind === undefined) return 'nothing'
  if (kind.kind === 'file') return `a file with sha256 ${kind.sha256.slice(0, 12)}…`
  if (kind.kind === 'symlink') return `a symlink to ${JSON.stringify(kind.target)}`
  return kind.kind === 'directory' ? 'a folder' : 'something that is neither file, folder nor link'
}
